"""The production static files storage: WhiteNoise's compressed, hashed-name storage, without rewriting
source-map comments. Vendored libraries (Leaflet) end with ``//# sourceMappingURL=leaflet.js.map`` but ship
without the map; Django's manifest storage would refuse the whole collectstatic for that missing file."""

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    patterns = tuple(
        (
            extension,
            tuple(p for p in patterns if "sourceMappingURL" not in (p[0] if isinstance(p, tuple) else p)),
        )
        for extension, patterns in CompressedManifestStaticFilesStorage.patterns
    )
