"""Every error CalmOps raises on purpose.

All of them derive from :class:`CalmopsError`; each leaf also inherits the builtin it
resembles, so ``except LookupError`` keeps working for callers who do not know CalmOps.
Messages say what was received and what is allowed, so they can be shown to a user as is.

::

    CalmopsError
    ├── SpecError (ValueError)                 an invalid pipeline spec or setting
    │   └── InvalidNameError                   a pipeline name that is not allowed
    ├── DataFileError (ValueError)             a data file that cannot be read as a table
    ├── DataValidationError (ValueError)       a readable table with the wrong content
    ├── PipelineNotFoundError (LookupError)    no pipeline of that name in the workspace
    ├── PipelineExistsError (FileExistsError)  creating a pipeline whose name is taken
    ├── PipelineBusyError (RuntimeError)       the pipeline is already running in another process
    │   └── LeaseLostError                     another process took over the pipeline's lease
    ├── RunNotFoundError (LookupError)         no run with that id in the pipeline
    ├── ModelVersionNotFoundError (LookupError) no model version with that number
    ├── ModelInUseError (ValueError)           deleting a version an alias points to
    ├── ModelIntegrityError (RuntimeError)     a model file whose checksum does not match
    ├── ArtifactError (OSError)                an artifact store that cannot be read or written
    │   └── ArtifactNotFoundError (FileNotFoundError)  no artifact at that key
    ├── StrategyError (RuntimeError)           a retraining strategy that cannot train this model
    ├── RegistryError (LookupError)            an unknown name in a registry (tests, detectors...)
    ├── StoreError (RuntimeError)              the store cannot be opened or migrated
    │   └── StoreUnavailableError              the store stopped answering (try again later)
    ├── NotificationError (RuntimeError)       a notification that could not be delivered
    └── OperationCancelled (RuntimeError)      the user declined, or confirmation was impossible

The CLI maps every one of them to exit code 1 and prints the message on one line;
the HTTP server maps them to status codes with :func:`http_status_for`.
"""

from __future__ import annotations

__all__ = [
    "ArtifactError",
    "ArtifactNotFoundError",
    "CalmopsError",
    "DataFileError",
    "DataValidationError",
    "InvalidNameError",
    "LeaseLostError",
    "ModelInUseError",
    "ModelIntegrityError",
    "ModelVersionNotFoundError",
    "NotificationError",
    "PipelineBusyError",
    "RunNotFoundError",
    "StrategyError",
    "OperationCancelled",
    "PipelineExistsError",
    "PipelineNotFoundError",
    "RegistryError",
    "SpecError",
    "StoreError",
    "StoreUnavailableError",
    "http_status_for",
]


class CalmopsError(Exception):
    """Root of every error CalmOps raises on purpose."""


class SpecError(CalmopsError, ValueError):
    """A pipeline spec, or one of its fields, is invalid."""


class InvalidNameError(SpecError):
    """A pipeline name that is not allowed."""


class DataFileError(CalmopsError, ValueError):
    """A file that cannot be read as a table.

    ``path`` is the file as the user gave it and ``problem`` what was wrong with it.
    """

    def __init__(self, path: object, problem: str) -> None:
        self.path = str(path)
        self.problem = problem
        super().__init__(f"{self.path}: {problem}")


class DataValidationError(CalmopsError, ValueError):
    """A table that was read but does not hold what the pipeline needs."""


class PipelineNotFoundError(CalmopsError, LookupError):
    """No pipeline of that name exists in the workspace."""

    def __init__(self, name: str) -> None:
        self.name = name
        super().__init__(f"no pipeline named '{name}' (see `calmops list`)")


class PipelineExistsError(CalmopsError, FileExistsError):
    """A pipeline of that name already exists."""

    def __init__(self, name: str, message: str | None = None) -> None:
        self.name = name
        super().__init__(
            message
            or f"a pipeline named '{name}' already exists "
            f"(choose another name, or `calmops delete {name}` first)"
        )


class PipelineBusyError(CalmopsError, RuntimeError):
    """The pipeline is being run by another process."""


class LeaseLostError(PipelineBusyError):
    """The pipeline's lease expired and another process (maybe on another host) took it."""


class RunNotFoundError(CalmopsError, LookupError):
    """No run with that id in the pipeline."""

    def __init__(self, pipeline: str, run_id: str, message: str | None = None) -> None:
        self.pipeline, self.run_id = pipeline, run_id
        super().__init__(
            message or f"no run '{run_id}' in pipeline '{pipeline}' (see `calmops runs {pipeline}`)"
        )


class ModelVersionNotFoundError(CalmopsError, LookupError):
    """No model version with that number in the pipeline."""

    def __init__(self, pipeline: str, version: int | None, message: str | None = None) -> None:
        self.pipeline, self.version = pipeline, version
        super().__init__(
            message
            or f"pipeline '{pipeline}' has no model version {version} "
            f"(see `calmops models {pipeline}`)"
        )


class ModelInUseError(CalmopsError, ValueError):
    """A model version that an alias points to cannot be deleted."""


class ModelIntegrityError(CalmopsError, RuntimeError):
    """A model file is missing or does not match the checksum recorded when it was saved."""


class ArtifactError(CalmopsError, OSError):
    """An artifact store (the workspace folder, S3...) that cannot be opened, read or written."""


class ArtifactNotFoundError(ArtifactError, FileNotFoundError):
    """No artifact at that key."""

    def __init__(self, key: str, where: str) -> None:
        self.key, self.where = key, where
        super().__init__(f"no artifact {key!r} in {where}")


class StrategyError(CalmopsError, RuntimeError):
    """A retraining strategy cannot train this model (the fallback strategy may)."""


class RegistryError(CalmopsError, LookupError):
    """An unknown name was asked of a registry; the message lists the valid names."""


class StoreError(CalmopsError, RuntimeError):
    """The store cannot be opened, migrated or written."""


class NotificationError(CalmopsError, RuntimeError):
    """A webhook or an email that could not be delivered (each attempt's reason said)."""


class RunTakenOverError(StoreError):
    """A run another holder took over (its lease had expired): its results are not committed."""

    def __init__(self, pipeline: str, run_id: str) -> None:
        self.pipeline, self.run_id = pipeline, run_id
        super().__init__(
            f"run '{run_id}' of pipeline '{pipeline}' was taken over by another process while "
            "it ran (this one's lease had expired): its results were dropped, the file is "
            "run again by the process that holds the pipeline now"
        )


class StoreUnavailableError(StoreError):
    """The store cannot be reached now (a database server restarting, a network cut).

    Transient: what was under way was not committed and is done again once it answers.
    """


class OperationCancelled(CalmopsError, RuntimeError):
    """The user declined a confirmation, or none could be asked."""


_HTTP_STATUS: tuple[tuple[type[CalmopsError], int], ...] = (
    (PipelineNotFoundError, 404),
    (RunNotFoundError, 404),
    (ModelVersionNotFoundError, 404),
    (PipelineBusyError, 409),
    (ModelInUseError, 409),
    (ModelIntegrityError, 500),
    (ArtifactError, 503),
    (RegistryError, 404),
    (PipelineExistsError, 409),
    (SpecError, 422),
    (DataValidationError, 422),
    (DataFileError, 400),
    (OperationCancelled, 409),
    (StoreError, 503),
    (NotificationError, 502),
)


def http_status_for(error: CalmopsError) -> int:
    """The HTTP status code that stands for ``error``.

    Examples
    --------
    >>> http_status_for(PipelineNotFoundError("demo"))
    404
    >>> http_status_for(CalmopsError("anything else"))
    500
    """
    for error_type, status in _HTTP_STATUS:
        if isinstance(error, error_type):
            return status
    return 500
