// Module UpliftAbleton: see ../shared/DESIGN.md
