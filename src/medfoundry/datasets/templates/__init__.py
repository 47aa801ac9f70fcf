"""Clinical task templates: de-identified records → chat examples, each with its metric.

Templates register by name in ``task_templates``; ``medfoundry data build --task NAME``
and the pipeline look them up there.
"""

from medfoundry.datasets.templates.base import Example, TaskConfig, TaskOptions, TaskTemplate, task_templates

__all__ = ["Example", "TaskConfig", "TaskOptions", "TaskTemplate", "task_templates"]
