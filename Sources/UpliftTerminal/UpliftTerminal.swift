// Module UpliftTerminal: see ../shared/DESIGN.md
