// Module UpliftSynth: see ../shared/DESIGN.md
