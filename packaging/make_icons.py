"""Renders resources/po-desk.svg into the icons the bundles need:
packaging/po-desk.ico (Windows: 16–256 px in one file) and packaging/po-desk.iconset/
(macOS; `iconutil -c icns packaging/po-desk.iconset` makes po-desk.icns from it).

    python packaging/make_icons.py
"""

from __future__ import annotations

import io
import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

ROOT = Path(__file__).resolve().parents[1]
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
ICONSET_SIZES = (16, 32, 128, 256, 512)


def render(renderer: QSvgRenderer, size: int) -> QImage:
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    renderer.render(painter)
    painter.end()
    return image


def write_ico(image: QImage, target: Path) -> None:
    """One ICO file holding every size Windows asks for (Pillow scales and packs them)."""
    from PIL import Image  # Pillow comes with reportlab

    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    Image.open(io.BytesIO(bytes(data.data()))).save(
        target, format="ICO", sizes=[(size, size) for size in ICO_SIZES]
    )


def main() -> int:
    app = QGuiApplication(sys.argv)  # noqa: F841 - Qt needs the application object
    renderer = QSvgRenderer(str(ROOT / "resources" / "po-desk.svg"))
    if not renderer.isValid():
        print("make_icons: resources/po-desk.svg could not be read", file=sys.stderr)
        return 1
    write_ico(render(renderer, 256), ROOT / "packaging" / "po-desk.ico")
    iconset = ROOT / "packaging" / "po-desk.iconset"
    iconset.mkdir(exist_ok=True)
    for size in ICONSET_SIZES:
        render(renderer, size).save(str(iconset / f"icon_{size}x{size}.png"))
        render(renderer, size * 2).save(str(iconset / f"icon_{size}x{size}@2x.png"))
    print("make_icons: packaging/po-desk.ico and packaging/po-desk.iconset/ written")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
