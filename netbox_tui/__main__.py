from netbox_tui.cli import main

raise SystemExit(main())
