"""One router per resource: predict, oip (v2), health, pipelines, metrics, feedback."""
