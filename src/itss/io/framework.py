"""Framework files: the built-in ones and an organisation's tailored ones, read and built.

Reading, parsing and the pre-parsed cache live here; `itss.catalogue.loader` builds and
checks the catalogue from the parsed documents without touching a file.
"""

from __future__ import annotations

from collections.abc import Sequence
from importlib import resources
from pathlib import Path

from itss.catalogue.catalogue import Catalogue
from itss.catalogue.loader import Document, build_catalogue
from itss.engine.registry import Registry, default_registry
from itss.errors import CatalogueError
from itss.io import preparsed
from itss.io.parsing import parse, read_text


def builtin_files() -> list[Path]:
    """The framework files shipped with itss, in a stable order."""
    data = resources.files("itss.catalogue") / "data"
    return sorted(Path(str(entry)) for entry in data.iterdir() if entry.name.endswith(".yaml"))


def read_document(path: Path) -> Document:
    """One framework file parsed (built-in files from their pre-parsed JSON while current)."""
    text = read_text(path, CatalogueError)
    content = preparsed.load(path, text)
    if content is None:
        content = parse(text, str(path), CatalogueError)
    return Document(str(path), content, text.encode())


def text_document(name: str, text: str) -> Document:
    """A framework file given as its text (one kept in the database), parsed."""
    return Document(name, parse(text, name, CatalogueError), text.encode())


def load_framework(
    extra: Sequence[Path | str] = (),
    *,
    include_builtin: bool = True,
    registry: Registry | None = None,
    texts: Sequence[tuple[str, str]] = (),
) -> Catalogue:
    """The built-in framework plus any tailored framework files (and files given as
    (name, text) in `texts`, loaded after them), validated.

    Every rule must be of a kind of `registry` (default: the built-in kinds and those
    registered with `itss.register`)."""
    paths = [*(builtin_files() if include_builtin else []), *(Path(p) for p in extra)]
    kinds = registry or default_registry()
    documents = [read_document(p) for p in paths] + [text_document(n, t) for n, t in texts]
    return build_catalogue(documents, kinds.checkers())
