// Module UpliftTestSupport: see ../shared/DESIGN.md
