from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    name = "trygg.indicators"
    label = "indicators"

    def ready(self) -> None:
        # Section 3 of the follow-up report: charts after the coordinator's text, and a drafted text the
        # coordinator can take into the follow-up. The plans registry ignores a function registered twice,
        # so a second ready() (tests, autoreload) changes nothing. report_section imports the heavy
        # statistics modules (numpy, scipy, matplotlib) only when a report is built.
        from trygg.plans.report import register_current_analysis_drafter, register_current_analysis_provider

        from .report_section import current_analysis_blocks, draft_for

        register_current_analysis_provider(current_analysis_blocks)
        register_current_analysis_drafter(draft_for)
