"""Entry point of the bundled programs (`po-desk` and `po-desk-cli`): the same as the
`po-desk` command a pip install makes (`po_desk.cli:entry`, which leaves the process
without Python's slow teardown when the work is done: po_desk/process_exit.py)."""

from po_desk.cli import entry

entry()
