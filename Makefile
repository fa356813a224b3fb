# Uplift: `make demo` and `make test` are all the set-up a fresh machine needs.
SWIFT        ?= swift
CONFIG_FLAGS ?=
APT_PACKAGES  = libncurses-dev libsndfile1-dev libfftw3-dev liblo-dev portaudio19-dev libxxhash-dev librubberband-dev libhnswlib-dev libsoxr-dev pkg-config tmux
BREW_PACKAGES = ncurses libsndfile fftw liblo portaudio xxhash rubberband hnswlib libsoxr pkg-config tmux
PKGS          = ncursesw sndfile fftw3f liblo portaudio-2.0 libxxhash rubberband soxr
SUDO         := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: deps build release demo test bench soak fuzz truth clean

# Installs only what pkg-config (or `command -v tmux`) does not already find.
deps:
	@missing=""; for p in $(PKGS); do pkg-config --exists $$p 2>/dev/null || missing="$$missing $$p"; done; \
	command -v tmux >/dev/null 2>&1 || missing="$$missing tmux"; \
	[ -f /usr/include/hnswlib/hnswlib.h ] || [ -f /usr/local/include/hnswlib/hnswlib.h ] || [ -f /opt/homebrew/include/hnswlib/hnswlib.h ] \
	  || missing="$$missing hnswlib"; \
	if [ -n "$$missing" ]; then \
	  echo "uplift: installing system libraries (missing:$$missing)"; \
	  if [ "$$(uname)" = Darwin ]; then brew install $(BREW_PACKAGES); \
	  elif command -v apt-get >/dev/null 2>&1; then \
	    $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $(APT_PACKAGES); \
	  else echo "uplift: install ncursesw, libsndfile, fftw (float), liblo, portaudio and tmux with your package manager" >&2; exit 1; fi; \
	fi

build: deps
	$(SWIFT) build $(CONFIG_FLAGS)

# The product only: the demo's first build does not wait for the benchmarks.
release: deps
	$(SWIFT) build -c release --product uplift $(CONFIG_FLAGS)

# The studio on the synthesized demo arrangement (rendered once into the cache folder).
demo: release
	.build/release/uplift

# Three passes: the CPU-heavy suites, then the end-to-end CLI suites (child processes, tmux), then
# the Ableton and studio-session suites, which time real UDP round trips against 1–2 s timeouts. Swift Testing runs a
# pass's tests on one cooperative pool (2 threads here); a test blocked on a child process would
# starve the OSC timers, so the timed suites get the pool to themselves.
HEAVY_SUITES = UpliftAbletonTests|UpliftStudioTests|UpliftCLITests
test: deps
	$(SWIFT) build --build-tests $(CONFIG_FLAGS)
	$(SWIFT) test --skip-build --skip '$(HEAVY_SUITES)' $(CONFIG_FLAGS)
	$(SWIFT) test --skip-build --filter UpliftCLITests $(CONFIG_FLAGS)
	$(SWIFT) test --skip-build --filter 'UpliftAbletonTests|UpliftStudioTests' $(CONFIG_FLAGS)

# Not part of `make test`: 2,000 random Ableton operations against a faulty fake Live (minutes).
soak: deps
	$(SWIFT) build --build-tests $(CONFIG_FLAGS)
	UPLIFT_SOAK=1 $(SWIFT) test --skip-build --filter 'SoakTests/twoThousandOperations' $(CONFIG_FLAGS)

# Coverage-guided fuzzing (libFuzzer + AddressSanitizer) of every parser, one at a time, FUZZ_SECONDS
# each (default 300); a separate package (Tools/fuzz) so the main build is never instrumented.
# Without libFuzzer (Apple's toolchains) the deterministic mutation runner runs instead.
FUZZ_SECONDS ?= 300
fuzz: deps
	FUZZ_SECONDS=$(FUZZ_SECONDS) SWIFT=$(SWIFT) Tools/fuzz/run.sh $(FUZZ_TARGETS)

bench: release
	$(SWIFT) build -c release --product uplift-bench $(CONFIG_FLAGS)
	.build/release/uplift-bench run --suites analysis,studio,ableton,profile,gaps,similarity,ab,audition

# Not part of `make test`: the development corpus with ground truth (Tools/truth/README.md). Installs the
# renderers (Debian only), fetches the music packages into ~/.cache/uplift/truth (never installed), renders
# what is not cached yet (a few minutes on 2 cores) and prints one accuracy table.
TRUTH_APT = fluidsynth fluid-soundfont-gm openmpt123 hydrogen lmms ffmpeg python3-numpy
PYTHON   ?= python3
truth: release
	@missing=""; for c in fluidsynth openmpt123 h2cli lmms ffmpeg; do command -v $$c >/dev/null 2>&1 || missing="$$missing $$c"; done; \
	[ -f /usr/share/sounds/sf2/FluidR3_GM.sf2 ] || missing="$$missing soundfont"; \
	$(PYTHON) -c 'import numpy' 2>/dev/null || missing="$$missing numpy"; \
	if [ -n "$$missing" ]; then echo "uplift: installing the truth renderers (missing:$$missing)"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $(TRUTH_APT); fi
	nice -n 10 $(PYTHON) Tools/truth/truth.py render --jobs 2
	$(PYTHON) Tools/truth/truth.py score --uplift .build/release/uplift --jobs 2

clean:
	rm -rf .build
