// Module UpliftCurses: see ../shared/DESIGN.md
