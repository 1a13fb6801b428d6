"""``python -m calmops.spec`` prints the spec reference (docs/pipeline-spec.md)."""

from calmops.spec.reference import reference_markdown

if __name__ == "__main__":
    print(reference_markdown(), end="")
