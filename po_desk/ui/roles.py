"""The GUI shows only what the role may do (issue 18, DESIGN §8).

On a shared server a person's role (ombud, enhetschef, läsare) decides what the database
accepts; here every button that would only be refused is hidden, the other controls it
cannot change are disabled with a tooltip that says why, and a läsare sees the reports
only. A local store has full rights and is left exactly as it is.

The rules name the controls by their text (or accessible name) within the view class
that holds them, so the views need no knowledge of roles; tests/test_gui_server.py
checks that every rule still finds its control, so a renamed button cannot slip out.
"""

from __future__ import annotations

from PySide6.QtWidgets import QAbstractButton, QAbstractItemView, QCheckBox, QGroupBox, QWidget

from po_desk.domain.capabilities import Capabilities

RECORDS = "can_edit_records"
PRIORITERING = "can_edit_prioritering"
LEDNINGSGRUPP = "can_edit_ledningsgrupp"
VERKSAMHET = "can_edit_verksamhet"
FASTSTALL = "can_faststall"
GALLRA = "can_gallra"

NOTES_BOX = "Tillåt anteckningar på uppdrag (fritext, kontrolleras mot personuppgifter)"
EXTERNAL_BOX = "Extern version (för ledamöter utanför verksamheten)"

# What each capability lets a person do, for the tooltip "Din roll … får inte …".
WHAT = {
    RECORDS: "ändra uppdrag, kö eller avvikelser",
    PRIORITERING: "ändra prioriteringsordningen eller intagningsstopp",
    LEDNINGSGRUPP: "ändra ledningsgruppen",
    VERKSAMHET: "ändra verksamhetens inställningar",
    FASTSTALL: "fastställa en återrapport eller ångra ett fastställande",
    GALLRA: "gallra eller ändra gallringsfristen",
}

# (view class holding the control or None for any, its text without "&") → capability.
BUTTONS: dict[tuple[str | None, str], str] = {
    ("UppdragView", "Nytt uppdrag"): RECORDS,
    ("UppdragView", "Redigera"): RECORDS,
    ("UppdragView", "Avsluta…"): RECORDS,
    ("UppdragView", "Återöppna"): RECORDS,
    ("UppdragView", "Importera…"): RECORDS,
    ("KoView", "Ny anmälan"): RECORDS,
    ("KoView", "Redigera"): RECORDS,
    ("KoView", "Erbjud"): RECORDS,
    ("KoView", "Påbörja uppdrag…"): RECORDS,
    ("KoView", "Återta"): RECORDS,
    ("KoView", "Ej aktuell…"): RECORDS,
    ("KoView", "Ändra prioriteringsordning…"): PRIORITERING,
    ("KoView", "Intagningsstopp…"): PRIORITERING,
    ("AvvikelserView", "Ny avvikelse"): RECORDS,
    ("AvvikelserView", "Redigera"): RECORDS,
    ("AvvikelserView", "Återkoppling / status…"): RECORDS,
    ("LedningsgruppView", "Ny ledamot"): LEDNINGSGRUPP,
    ("LedningsgruppView", "Redigera ledamot"): LEDNINGSGRUPP,
    ("LedningsgruppView", "Nytt möte…"): LEDNINGSGRUPP,
    # The return's manual fields and answers: an ombud may write them (not a läsare).
    ("AterrapportPanel", "Spara uppgifterna"): RECORDS,
    ("SvarBox", "Spara svaren"): RECORDS,
    ("SvarBox", "Spara statsbidraget"): RECORDS,
    # The kö answer saves the threshold too, a setting of the verksamhet.
    ("AterrapportPanel", "Spara kösvaret"): VERKSAMHET,
    ("AterrapportPanel", "Fastställ…"): FASTSTALL,
    ("AterrapportPanel", "Ångra fastställande…"): FASTSTALL,
    ("VerksamhetTab", "Spara verksamheten"): VERKSAMHET,
    ("VerksamhetTab", "Kommunernas datum…"): VERKSAMHET,
    ("VerksamhetTab", "Byt namn på prioritetsgrund…"): VERKSAMHET,
    ("VerksamhetTab", "Lägg till kommun"): VERKSAMHET,
    ("OmbudTab", "Nytt ombud"): VERKSAMHET,
    ("OmbudTab", "Redigera"): VERKSAMHET,
    ("GallringBox", "Gallra nu…"): GALLRA,
    # The categories are reference data of the verksamhet (the enhetschef's).
    ("CategoriesTab", "Byt namn"): VERKSAMHET,
    ("CategoriesTab", "Inaktivera"): VERKSAMHET,
    ("CategoriesTab", "Lägg till"): VERKSAMHET,
}
# Controls that are not buttons, by accessible name (a group box by its title, a check
# box by its text, a form of its own by its class): disabled with the reason. A disabled
# group disables all it holds, whatever the view later enables inside it.
FIELDS: dict[tuple[str | None, str], str] = {
    ("GallringBox", "Gallringsfrist"): GALLRA,
    ("AterrapportPanel", "Uppgifter från verksamheten"): RECORDS,
    ("AterrapportPanel", "Kö under året"): VERKSAMHET,
    ("SvarBox", "Frågor"): RECORDS,
    ("SvarBox", "Statsbidrag"): RECORDS,
    ("VerksamhetTab", "VerksamhetFields"): VERKSAMHET,
    # Settings of the verksamhet, saved as soon as they are ticked.
    ("SecurityTab", NOTES_BOX): VERKSAMHET,
    ("RapporterView", EXTERNAL_BOX): VERKSAMHET,
    ("CategoriesTab", "Nytt namn"): VERKSAMHET,
    ("CategoriesTab", "Gäller från"): VERKSAMHET,
    ("CategoriesTab", "Namn på ny post"): VERKSAMHET,
}
FORMS = frozenset({"VerksamhetFields"})
# Tables whose double-click opens an editor, by accessible name: still readable, but the
# double-click does nothing and the tooltip says why.
TABLES: dict[tuple[str | None, str], str] = {
    ("LedningsgruppView", "Ledamöter"): LEDNINGSGRUPP,
    ("OmbudTab", "Ombud"): VERKSAMHET,
}
BUTTON, FIELD, TABLE = "button", "field", "table"


def label(widget: QWidget) -> str:
    if isinstance(widget, QAbstractButton):
        return widget.text().replace("&", "")
    if isinstance(widget, QGroupBox):
        return widget.title().replace("&", "")
    if type(widget).__name__ in FORMS:
        return type(widget).__name__
    return widget.accessibleName()


def _scope(widget: QWidget, scopes: set[str]) -> str | None:
    parent = widget.parentWidget()
    while parent is not None:
        name = type(parent).__name__
        if name in scopes:
            return name
        parent = parent.parentWidget()
    return None


SCOPES = {scope for scope, _ in (*BUTTONS, *FIELDS, *TABLES) if scope is not None}


def _kind(widget: QWidget) -> tuple[str, dict[tuple[str | None, str], str]]:
    if isinstance(widget, QCheckBox):  # a setting: shown as it is, but not to be changed
        return FIELD, FIELDS
    if isinstance(widget, QAbstractButton):
        return BUTTON, BUTTONS
    if isinstance(widget, QAbstractItemView):
        return TABLE, TABLES
    return FIELD, FIELDS


def ruled(root: QWidget) -> list[tuple[QWidget, tuple[str | None, str], str, str]]:
    """Every control under `root` a rule names: (widget, rule, capability, kind)."""
    found = []
    for widget in root.findChildren(QWidget):
        text = label(widget)
        if not text:
            continue
        kind, rules = _kind(widget)
        scope = _scope(widget, SCOPES)
        for key in ((scope, text), (None, text)):
            if key in rules:
                found.append((widget, key, rules[key], kind))
                break
    return found


# Set on every control restrict() took away: a view that enables its controls again when it
# reloads (a field enabled only for some kinds of data) asks usable() first.
REFUSED = "po_desk_refused"


def usable(widget: QWidget) -> bool:
    """False for a control the person's role may not use (restrict() disabled or hid it)."""
    return not widget.property(REFUSED)


def restrict(root: QWidget, capabilities: Capabilities) -> int:
    """Hides the buttons, disables the fields and the tables' double-click under `root`
    that the role may not use; returns how many. Nothing happens for full rights (a local store)."""
    count = 0
    for widget, _key, capability, kind in ruled(root):
        if getattr(capabilities, capability):
            continue
        reason = capabilities.refusal(WHAT[capability])
        widget.setToolTip(reason)
        widget.setProperty(REFUSED, True)
        if kind == BUTTON:
            widget.setVisible(False)
        elif kind == TABLE:
            assert isinstance(widget, QAbstractItemView)
            widget.doubleClicked.disconnect()  # the view's one editor, not to be opened
        else:
            widget.setEnabled(False)
        count += 1
    return count
