"""The models being served, kept current: hot swap when an alias moves.

A background thread reads every pipeline's aliases from the store (one cheap query each)
every ``poll_seconds``. When the champion (or the shadow) points to another version, the new
version is loaded and checked in that thread, off the request path, then swapped in with one
assignment: a request holds the :class:`Serving` it started with, so none fails or mixes two
versions during a swap. A version that cannot be loaded is reported and not retried until the
alias moves again; the version already serving keeps serving.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from calmops.errors import CalmopsError, PipelineNotFoundError, StoreUnavailableError
from calmops.server.served import ServedModel, load_served
from calmops.spec import validate_name

__all__ = ["SHADOW_ALIASES", "ModelCache", "Serving"]

log = logging.getLogger("calmops.server")

# the first alias present names the model scored in the background on the same requests
SHADOW_ALIASES = ("shadow", "challenger")
Loader = Callable[[Any, str, str], ServedModel | None]


@dataclass(frozen=True)
class Serving:
    """What answers for one pipeline right now."""

    pipeline: str
    champion: ServedModel | None = None
    shadow: ServedModel | None = None
    error: str | None = None  # why the champion the store names is not the one serving


class ModelCache:
    """Champion and shadow of every pipeline of a workspace, reloaded when aliases move."""

    def __init__(
        self,
        workspace: Any,
        poll_seconds: float = 0.5,
        loader: Loader = load_served,
        on_warm: Callable[[], None] | None = None,
    ) -> None:
        self.workspace = workspace
        self._on_warm = on_warm
        self.poll_seconds = poll_seconds
        self._load = loader
        self._serving: dict[str, Serving] = {}
        self._failed: dict[tuple[str, str], int] = {}
        self._lock = threading.Lock()  # one refresh at a time
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.warm = threading.Event()

    # ---- lifecycle ---------------------------------------------------------------------

    def start(self) -> None:
        """Load every champion in the background, then keep watching the aliases."""
        self._thread = threading.Thread(target=self._watch, name="calmops-models", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=30)

    def _watch(self) -> None:
        store_down = False
        while not self._stop.is_set():
            try:
                self.refresh()
            except StoreUnavailableError as error:  # the models loaded keep serving meanwhile
                if not store_down:
                    log.warning("%s; serving the models already loaded until it is back", error)
                store_down = True
            except Exception:  # a store hiccup must not stop the watcher; say so and go on
                log.exception("reading the model aliases failed; retrying")
            else:
                if store_down:
                    log.warning("the store answers again; watching the aliases")
                store_down = False
            if not self.warm.is_set():
                self.warm.set()
                if self._on_warm is not None:
                    self._on_warm()
            self._stop.wait(self.poll_seconds)

    # ---- reading -----------------------------------------------------------------------

    def get(self, name: str) -> Serving:
        """What serves pipeline ``name``; raises PipelineNotFoundError for an unknown name.

        A name that is not valid, or that the store does not know, is refused without
        touching the disk.
        """
        serving = self._serving.get(name)
        if serving is not None:
            return serving
        try:
            validate_name(name)
        except CalmopsError:
            raise PipelineNotFoundError(name if len(name) <= 64 else name[:64] + "…") from None
        if not self.workspace.exists():
            raise PipelineNotFoundError(name)
        self.workspace.store.pipelines.get(name)  # raises PipelineNotFoundError
        return self._refresh_one(name)  # created since the last poll: load it now

    def peek(self, name: str) -> Serving | None:
        """What serves ``name`` if it is known already (no store query, no validation)."""
        return self._serving.get(name)

    def pipelines(self) -> dict[str, Serving]:
        """Every pipeline known at the last poll, by name."""
        return dict(sorted(self._serving.items()))

    # ---- refreshing --------------------------------------------------------------------

    def refresh(self) -> None:
        """Read every pipeline's aliases and swap in any version that changed."""
        names = [p.name for p in self.workspace.list()]
        for name in names:
            self._refresh_one(name)
        for gone in set(self._serving) - set(names):
            self._serving.pop(gone, None)

    def _refresh_one(self, name: str) -> Serving:
        with self._lock:
            try:
                aliases = self.workspace.store.models.aliases(name)
            except PipelineNotFoundError:
                self._serving.pop(name, None)
                raise
            current = self._serving.get(name) or Serving(name)
            champion, error = self._current(name, "champion", aliases, current.champion)
            shadow_alias = next((a for a in SHADOW_ALIASES if a in aliases), None)
            shadow = None
            if shadow_alias is not None and aliases[shadow_alias] != aliases.get("champion"):
                shadow, _ = self._current(name, shadow_alias, aliases, current.shadow)
            updated = Serving(name, champion, shadow, error)
            if updated != current or name not in self._serving:
                self._serving[name] = updated
                if champion is not current.champion and champion is not None:
                    log.info("%s: serving v%s", name, champion.version)
            return self._serving.get(name, updated)

    def _current(
        self, name: str, alias: str, aliases: dict[str, int], loaded: ServedModel | None
    ) -> tuple[ServedModel | None, str | None]:
        wanted = aliases.get(alias)
        if wanted is None:
            return None, None
        if loaded is not None and loaded.version == wanted and loaded.alias == alias:
            return loaded, None
        if self._failed.get((name, alias)) == wanted:
            return loaded, f"the {alias} v{wanted} could not be loaded (see the server log)"
        try:
            fresh = self._load(self.workspace, name, alias)
        except Exception:  # any load failure keeps the old version serving; logged in full
            log.exception("%s: loading the %s v%s failed", name, alias, wanted)
            self._failed[(name, alias)] = wanted
            return loaded, f"the {alias} v{wanted} could not be loaded (see the server log)"
        self._failed.pop((name, alias), None)
        return fresh, None
