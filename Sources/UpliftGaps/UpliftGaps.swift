// Module UpliftGaps: see ../shared/DESIGN.md
