from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "trygg.assessments"
    label = "assessments"
    verbose_name = "Lagesbild och åtgärdsplan"
