// Module UpliftProfile: see ../shared/DESIGN.md
