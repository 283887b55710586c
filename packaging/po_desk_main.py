"""Entry point of the bundled programs (`po-desk` and `po-desk-cli`): the same as the
`po-desk` command a pip install makes."""

from po_desk.cli import main

raise SystemExit(main())
