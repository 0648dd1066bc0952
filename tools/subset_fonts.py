"""Make the pages' Japanese fonts: Noto Sans CJK JP Regular and Bold, cut down to the
characters the pages can show (every character of JIS X 0208, ASCII, Latin-1, halfwidth
katakana, and every character of the framework data, the message catalogues and the
templates), as WOFF2 in src/itss/web/static/fonts/. A character outside them is drawn in the
device's own fonts.

Not part of itss (the files it makes are kept in the repository); to run it again:

    pip install fonttools==4.68.0 brotli          # in a virtual environment of its own
    apt-get install fonts-noto-cjk                # the source fonts (Debian)
    python tools/subset_fonts.py
"""

from __future__ import annotations

import contextlib
from pathlib import Path

from fontTools import subset  # type: ignore[import-not-found]

ROOT = Path(__file__).resolve().parents[1]
SOURCE = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-{weight}.ttc")
TARGET = ROOT / "src" / "itss" / "web" / "static" / "fonts" / "noto-sans-jp-{number}.woff2"
WEIGHTS = {"Regular": 400, "Bold": 700}
TEXTS = (
    "src/itss/catalogue/data/*.yaml",
    "src/itss/i18n/locale/*/LC_MESSAGES/*.po",
    "src/itss/web/templates/**/*.html",
    "src/itss/demo.py",
)


def characters() -> str:
    found = {chr(c) for c in (*range(0x20, 0x7F), *range(0xA0, 0x180), *range(0xFF61, 0xFFA0))}
    for high in range(0xA1, 0xFF):  # JIS X 0208, row by row, through EUC-JP
        for low in range(0xA1, 0xFF):
            with contextlib.suppress(UnicodeDecodeError):  # a code no character has
                found.update(bytes([high, low]).decode("euc_jp"))
    found.update("①②③④⑤⑥⑦⑧⑨⑩■□●○→←↑↓–—‐…※・〜～㎡²³€¥™©®✓✔")
    for pattern in TEXTS:
        for path in ROOT.glob(pattern):
            found.update(path.read_text(encoding="utf-8"))
    return "".join(sorted(c for c in found if c.isprintable()))


def main() -> None:
    text = characters()
    for weight, number in WEIGHTS.items():
        options = subset.Options()
        options.flavor = "woff2"
        options.font_number = 0  # Noto Sans CJK JP in the collection
        options.layout_features = ["kern", "liga", "palt", "vert", "vrt2"]
        options.hinting = False
        options.desubroutinize = True
        font = subset.load_font(str(SOURCE).format(weight=weight), options)
        subsetter = subset.Subsetter(options)
        subsetter.populate(text=text)
        subsetter.subset(font)
        target = Path(str(TARGET).format(number=number))
        subset.save_font(font, str(target), options)
        print(f"{target.relative_to(ROOT)}: {len(text)} characters, {target.stat().st_size} bytes")


if __name__ == "__main__":
    main()
