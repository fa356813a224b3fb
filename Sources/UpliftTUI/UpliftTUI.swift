// Module UpliftTUI: see ../shared/DESIGN.md
