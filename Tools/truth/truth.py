#!/usr/bin/env python3
"""Uplift's development corpus with ground truth (`make truth`).

    truth.py manifest   read the sources, write Tools/truth/manifest.json (committed)
    truth.py render     render every manifest entry into the cache (skips what is there)
    truth.py score      analyse the renders with `uplift analyze --json`, meter them with ffmpeg's
                        ebur128 beside it, print one table

The content comes from Debian packages (`apt-get download` + `dpkg-deb -x` into the cache, never
installed): MIDI files (tempo map and key-signature events are the truth), Hydrogen songs (tempo,
pattern structure), tracker modules (initial speed/tempo; rows per beat is a guess, so Acc2 only),
and LMMS projects written here (known tempo, key, 303 level under the pads, sidechain depth,
section bars). The held-out packages of issue 18 are refused by name.

Audio lives in $UPLIFT_TRUTH_CACHE (default ~/.cache/uplift/truth), never in git.
"""
import argparse, concurrent.futures as cf, json, math, os, random, re, shutil, struct, subprocess, sys, time
import xml.etree.ElementTree as ET

HERE = os.path.dirname(os.path.abspath(__file__))
MANIFEST = os.path.join(HERE, "manifest.json")
CACHE = os.environ.get("UPLIFT_TRUTH_CACHE", os.path.expanduser("~/.cache/uplift/truth"))
EXCERPT_S = 120.0          # renders of other people's music are cut to their first two minutes
SOUNDFONT = "/usr/share/sounds/sf2/FluidR3_GM.sf2"
SR = 44100

# Packages the content comes from (name → what is taken).
SOURCES = ["freedoom", "openttd-openmsx", "hydrogen-data", "tomatoes-data", "jumpnbump"]
# Issue 18's held-out set: never fetched, never read.
HELD_OUT = {"lmms-common", "supertuxkart-data", "tecnoballz-data", "pingus-data", "penguin-command",
            "frozen-bubble", "fb-music-high", "wesnoth-1.16-music", "singularity-music", "sonic-pi-samples"}

NOTE_NAMES = ["C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B"]
FLAT_NAMES = {"Db": 1, "Eb": 3, "Gb": 6, "Ab": 8, "Bb": 10}


def log(*a):
    print(*a, file=sys.stderr, flush=True)


def run(cmd, **kw):
    return subprocess.run(cmd, check=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE, **kw)


# ---------------------------------------------------------------- fetching

def fetch():
    debs, xdir = os.path.join(CACHE, "debs"), os.path.join(CACHE, "x")
    os.makedirs(debs, exist_ok=True)
    versions = {}
    for pkg in SOURCES:
        assert pkg not in HELD_OUT
        have = [f for f in os.listdir(debs) if f.startswith(pkg + "_")]
        if not have:
            log(f"truth: apt-get download {pkg}")
            run(["apt-get", "download", pkg], cwd=debs)
            have = [f for f in os.listdir(debs) if f.startswith(pkg + "_")]
        deb = sorted(have)[-1]
        versions[pkg] = deb.split("_")[1]
        dest = os.path.join(xdir, pkg)
        if not os.path.isdir(dest):
            os.makedirs(dest)
            run(["dpkg-deb", "-x", os.path.join(debs, deb), dest])
    return versions


# ---------------------------------------------------------------- MIDI

def read_varlen(d, i):
    v = 0
    while True:
        b = d[i]; i += 1
        v = (v << 7) | (b & 0x7F)
        if b < 0x80:
            return v, i


def parse_midi(d):
    """Returns (division, tempos [(tick, usPerQuarter)], keysigs [(tick, sf, mi)], timesigs [(tick, num, den)],
    notes [(channel, pitch, onTick, offTick)])."""
    if d[:4] != b"MThd":
        raise ValueError("not a MIDI file")
    hlen, fmt, ntrk, division = struct.unpack(">IHHH", d[4:14])
    if division & 0x8000:
        raise ValueError("SMPTE division")
    i = 8 + hlen
    tempos, keysigs, timesigs, notes = [], [], [], []
    for _ in range(ntrk):
        while d[i:i + 4] != b"MTrk":
            if i + 8 > len(d):
                break
            i += 8 + struct.unpack(">I", d[i + 4:i + 8])[0]
        if i + 8 > len(d):
            break
        tlen = struct.unpack(">I", d[i + 4:i + 8])[0]
        j, end, tick, status = i + 8, min(len(d), i + 8 + tlen), 0, 0
        on = {}
        while j < end:
            delta, j = read_varlen(d, j)
            tick += delta
            b = d[j]
            if b == 0xFF:
                typ = d[j + 1]; ln, j = read_varlen(d, j + 2); data = d[j:j + ln]; j += ln
                if typ == 0x51 and ln == 3:
                    tempos.append((tick, int.from_bytes(data, "big")))
                elif typ == 0x59 and ln == 2:
                    keysigs.append((tick, struct.unpack("b", data[:1])[0], data[1]))
                elif typ == 0x58 and ln >= 2:
                    timesigs.append((tick, data[0], 2 ** data[1]))
                elif typ == 0x2F:
                    break
                continue
            if b in (0xF0, 0xF7):
                ln, j = read_varlen(d, j + 1); j += ln
                continue
            if b & 0x80:
                status = b; j += 1
            kind, ch = status & 0xF0, status & 0x0F
            n = 1 if kind in (0xC0, 0xD0) else 2
            a = d[j:j + n]; j += n
            if kind == 0x90 and a[1] > 0:
                on.setdefault((ch, a[0]), []).append(tick)
            elif kind == 0x80 or (kind == 0x90 and a[1] == 0):
                starts = on.get((ch, a[0]))
                if starts:
                    notes.append((ch, a[0], starts.pop(0), tick))
        i = end
    tempos.sort(); keysigs.sort(); timesigs.sort()
    return division, tempos, keysigs, timesigs, notes


class TempoMap:
    def __init__(self, division, tempos):
        self.div = division
        self.seg = []  # (tick, seconds at tick, usPerQuarter)
        t, s, us = 0, 0.0, 500000
        for tick, u in tempos:
            s += (tick - t) * us / 1e6 / division
            t, us = tick, u
            self.seg.append((t, s, us))
        if not self.seg or self.seg[0][0] > 0:
            self.seg.insert(0, (0, 0.0, 500000))

    def seconds(self, tick):
        t, s, us = self.seg[0]
        for seg in self.seg:
            if seg[0] > tick:
                break
            t, s, us = seg
        return s + (tick - t) * us / 1e6 / self.div


def key_name(tonic, mode):
    return f"{NOTE_NAMES[tonic]} {mode}"


def midi_truth(d):
    division, tempos, keysigs, timesigs, notes = parse_midi(d)
    if not notes:
        raise ValueError("no notes")
    tm = TempoMap(division, tempos)
    start = min(n[2] for n in notes)
    t0 = tm.seconds(start)
    t_end = min(max(tm.seconds(n[3]) for n in notes), t0 + EXCERPT_S)
    # Tempo: the one held longest over the audible excerpt.
    held = {}
    for k, (tick, s, us) in enumerate(tm.seg):
        s_next = tm.seg[k + 1][1] if k + 1 < len(tm.seg) else float("inf")
        a, b = max(s, t0), min(s_next, t_end)
        if b > a:
            bpm = round(60e6 / us, 2)
            held[bpm] = held.get(bpm, 0) + b - a
    bpm, longest = max(held.items(), key=lambda kv: kv[1])
    share = longest / max(1e-9, t_end - t0)
    ts = [x for x in timesigs if tm.seconds(x[0]) < t_end] or [(0, 4, 4)]
    meters = sorted({(n, dd) for _, n, dd in ts})
    why = []
    if share < 0.95:
        why.append(f"tempo map changes ({share:.0%} at {bpm})")
    if any(dd != 4 or n % 3 == 0 for n, dd in meters):
        why.append("meter " + ",".join(f"{n}/{dd}" for n, dd in meters) + ": felt beat ambiguous")
    # Key: one key signature and notes that agree with its scale.
    ks = sorted({(sf, mi) for tick, sf, mi in keysigs if tm.seconds(tick) < t_end})
    key, key_why = None, None
    pitched = [n for n in notes if n[0] != 9]
    if not ks:
        key_why = "no key signature"
    elif len(ks) > 1:
        key_why = "key signature changes"
    elif not pitched:
        key_why = "no pitched notes"
    else:
        sf, mi = ks[0]
        major = (sf * 7) % 12
        tonic = (major + 9) % 12 if mi else major
        scale = {(major + s) % 12 for s in (0, 2, 4, 5, 7, 9, 11)}
        hist = [0.0] * 12
        for ch, p, a, b in pitched:
            hist[p % 12] += tm.seconds(b) - tm.seconds(a)
        cover = sum(hist[p] for p in scale) / max(1e-9, sum(hist))
        key = key_name(tonic, "minor" if mi else "major")
        # A lone C-major signature (sf 0, mi 0) is what sequencers write by default: it says
        # nothing about the key, and the in-scale check cannot tell C major from A minor (same
        # notes). Treated as no key signature, for every such file (issue 18, third key pass).
        if sf == 0 and mi == 0:
            key_why = f"C major signature only (the sequencers' default; {cover:.0%} of notes in scale)"
        elif cover < 0.8:
            key_why = f"only {cover:.0%} of note time in the signature's scale"
    # Four on the floor: a bass drum (35/36) on ≥ 80 % of the quarter notes where drums play.
    kicks = {round((a - start) / division * 4) for ch, p, a, b in notes if ch == 9 and p in (35, 36)}
    drum_q = {round((a - start) / division) for ch, p, a, b in notes if ch == 9}
    q_on = {q for q in drum_q if q * 4 in kicks}
    four = len(drum_q) > 32 and len(q_on) >= 0.8 * len(drum_q) and all(dd == 4 for _, dd in meters)
    return {
        "tempo": bpm, "tempo_sure": not why, "tempo_note": "; ".join(why) or None,
        "key": key, "key_sure": key is not None and key_why is None, "key_note": key_why,
        "four_on_floor": four, "duration_s": round(t_end, 2), "drums": any(n[0] == 9 for n in notes),
    }


def wad_music(path):
    d = open(path, "rb").read()
    n, off = struct.unpack("<4xII", d[:12])
    for k in range(n):
        p, s, name = struct.unpack("<II8s", d[off + 16 * k:off + 16 * k + 16])
        name = name.rstrip(b"\0").decode()
        if name.startswith("D_") and d[p:p + 4] == b"MThd":
            yield name, d[p:p + s]


# ---------------------------------------------------------------- Hydrogen and modules

def hydrogen_truth(path):
    r = ET.parse(path).getroot()
    bpm = float(r.findtext("bpm"))
    patterns = {}
    for p in r.iter("pattern"):
        kicks, size = set(), int(p.findtext("size") or 192)
        for n in p.iter("note"):
            if n.findtext("instrument") in ("0", "1"):  # Kick / Kick Long / Kick Short come first in every demo kit
                kicks.add(int(n.findtext("position")))
        patterns[p.findtext("name")] = (size, kicks)
    seq = [[pid.text for pid in g.iter("patternID")] for g in r.iter("group")]
    sizes = {s for s, _ in patterns.values()}
    four_bars = sum(1 for g in seq if any(patterns.get(x, (0, set()))[1] >= {0, 48, 96, 144} for x in g))
    why = None if sizes <= {192} else "pattern lengths " + ",".join(map(str, sorted(sizes)))
    return {"tempo": bpm, "tempo_sure": why is None, "tempo_note": why, "key": None, "key_sure": False,
            "key_note": "drum kit only", "four_on_floor": four_bars >= 0.8 * max(1, len(seq)),
            "bars": len(seq)}


def module_truth(d, name):
    if d[:4] == b"IMPM":
        rpb, rpm = d[0x1E], d[0x1F]
        speed, tempo = d[0x32], d[0x33]
    else:  # 31-instrument ProTracker MOD: F-effects in the first row set speed/tempo
        speed, tempo, rpb = 6, 125, 0
        order0 = d[952]
        row = d[1084 + order0 * 1024:1084 + order0 * 1024 + 16]
        for c in range(4):
            eff, par = row[c * 4 + 2] & 0x0F, row[c * 4 + 3]
            if eff == 0xF and par:
                if par < 32:
                    speed = par
                else:
                    tempo = par
    rows = rpb or 4
    bpm = round(tempo * 24.0 / (speed * rows), 2)
    return {"tempo": bpm, "tempo_sure": False,
            "tempo_note": f"speed {speed}, tempo {tempo}, {rows} rows per beat "
                          + ("(from the module's highlight)" if rpb else "(assumed)") + ": Acc2 only",
            "key": None, "key_sure": False, "key_note": "tracker module: no key in the source",
            "four_on_floor": False}


def jumpnbump_mods(path):
    d = open(path, "rb").read()
    n = struct.unpack("<I", d[:4])[0]
    for k in range(n):
        name, off, size = struct.unpack("<12sII", d[4 + 20 * k:24 + 20 * k])
        name = name.rstrip(b"\0").decode()
        if name.endswith(".mod"):
            yield name, d[off:off + size]


# ---------------------------------------------------------------- our LMMS projects

MINOR_PROG = [0, 8, 3, 10]   # i VI III VII (semitones above the minor tonic)
MAJOR_PROG = [0, 7, 9, 5]    # I V vi IV
SECTIONS = [("intro", 0, 8), ("drop", 8, 24), ("breakdown", 24, 32), ("drop", 32, 48), ("outro", 48, 56)]
RENDER_BARS = 16  # LMMS renders 16 bars of each stem; bars 8–16 (one full 8-bar cycle, tails included) are looped
STEMS_IN = {"intro": {"kick", "hat"}, "drop": {"kick", "hat", "bass", "pad", "acid"},
            "breakdown": {"pad", "acid"}, "outro": {"kick", "hat"}}


def our_tracks():
    rng = random.Random(18)
    out = []
    acid_levels = [None, 0, -6, -12, None, -18]
    pumps = [0, 3, 6, 9]
    tempos = [120, 122, 124, 125, 126, 128, 130, 132, 133, 134, 135, 136, 138, 140, 142, 144, 145, 147, 150]
    for i in range(48):
        minor = rng.random() < 0.75
        tonic = rng.randrange(12)
        e = {"id": f"lmms-{i:02d}", "kind": "lmms", "origin": "ours", "source": "Tools/truth/truth.py our_tracks()",
             "tempo": float(tempos[i % len(tempos)] if i < len(tempos) else rng.choice(tempos)), "tempo_sure": True,
             "key": key_name(tonic, "minor" if minor else "major"), "key_sure": True, "four_on_floor": True,
             "acid_db": acid_levels[i % 6], "pump_db": pumps[(i // 6) % 4] if i % 5 else pumps[(i // 3) % 4],
             "sections_bars": [[k, a, b] for k, a, b in SECTIONS], "mono": i % 8 == 7,
             "seed": rng.randrange(1 << 30), "cutoff": round(rng.uniform(0.25, 0.6), 2),
             "resonance": round(rng.uniform(0.75, 0.97), 2)}
        out.append(e)
    # Silence variants: the same music with digital silence around it; sections must not move.
    for i in (1, 9, 14, 20, 27, 33):
        e = dict(out[i]); e["id"] = out[i]["id"] + "-silence"; e["kind"] = "lmms+silence"
        e["lead_silence_s"], e["tail_silence_s"] = 10.0, 60.0
        out.append(e)
    return out


def lmms_project(e, stem):
    rng = random.Random(e["seed"])
    bpm, tonic = e["tempo"], NOTE_NAMES.index(e["key"].split()[0])
    minor = e["key"].endswith("minor")
    bars = RENDER_BARS
    prog = MINOR_PROG if minor else MAJOR_PROG
    notes = []  # (pos ticks, len ticks, lmms key, vol)
    base = 45 + ((tonic - 9) % 12) - 12 * (((tonic - 9) % 12) > 6)   # lmms key of the tonic near A2 (45)
    scale = [0, 2, 3, 5, 7, 8, 10] if minor else [0, 2, 4, 5, 7, 9, 11]
    acid_riff = [(rng.choice([0, 0, 0, 12, scale[rng.randrange(7)], 7, scale[2]]), rng.random() < 0.3,
                  rng.random() < 0.8) for _ in range(16)]
    for bar in range(bars):
        chord = prog[(bar // 2) % 4]
        t = bar * 192
        if stem == "kick":
            notes += [(t + q * 48, 12, 57, 100) for q in range(4)]
        elif stem == "hat":
            notes += [(t + q * 48 + 24, 6, 57, 70) for q in range(4)]
        elif stem == "bass":
            root = base - 12 + chord
            notes += [(t + q * 48 + 24, 20, root, 100) for q in range(4)]
        elif stem == "pad":
            third = 3 if (minor and chord == 0) or (not minor and chord == 9) else 4
            root = base + 12 + chord
            notes += [(t, 192, root + x, 80) for x in (0, third, 7, 12)]
        elif stem == "acid":
            for s, (step, accent, play) in enumerate(acid_riff):
                if play:
                    notes.append((t + s * 12, 10, base + step + (chord if chord in (0, 7) else 0), 127 if accent else 90))
    if stem == "kick":
        inst = '<instrument name="kicker"><kicker startfreq="150" endfreq="45" decay="300" dist="0.6" gain="1" env="0.2" noise="0" click="0.4" slope="0.1" startnote="0" endnote="0" version="1"/></instrument>'
    elif stem == "hat":
        inst = '<instrument name="kicker"><kicker startfreq="8000" endfreq="7000" decay="40" dist="0" gain="0.6" env="0.5" noise="1" click="0" slope="0.06" startnote="0" endnote="0" version="1"/></instrument>'
    elif stem in ("bass", "pad"):
        det = 12 if stem == "pad" else 0
        vol12 = 33 if stem == "pad" else 0
        inst = ('<instrument name="tripleoscillator"><tripleoscillator '
                f'vol0="33" wavetype0="2" coarse0="0" finel0="0" finer0="0" pan0="0" phoffset0="0" stphdetun0="0" '
                f'vol1="{vol12}" wavetype1="2" coarse1="0" finel1="{-det}" finer1="{-det}" pan1="-40" phoffset1="0" stphdetun1="0" '
                f'vol2="{vol12}" wavetype2="2" coarse2="0" finel2="{det}" finer2="{det}" pan2="40" phoffset2="0" stphdetun2="0" '
                'modalgo1="2" modalgo2="2" modalgo3="2"/></instrument>')
    else:
        inst = (f'<instrument name="lb302"><lb302 vcf_res="{e["resonance"]}" vcf_mod="0.9" vcf_dec="0.25" dist="0.3" '
                f'slide_dec="0.6" shape="0" db24="0" slide="0" accent="0" dead="0">'
                f'<vcf_cut id="4242" value="{e["cutoff"]}" scale_type="linear"/></lb302></instrument>')
    body = "".join(f'<note pos="{p}" len="{ln}" key="{k}" vol="{v}" pan="0"/>' for p, ln, k, v in notes)
    auto = ""
    if stem == "acid":  # the cutoff sweeps over each 8-bar phrase, as an acid line does
        pts = "".join(f'<time pos="{b * 192}" value="{e["cutoff"] + 0.35 * ((b % 8) / 8.0):.3f}"/>'
                      for b in range(bars + 1))
        auto = (f'<track type="5" name="sweep" muted="0" solo="0"><automationtrack/>'
                f'<automationpattern pos="0" len="{bars * 192}" tens="1" name="cut" prog="1" mute="0">{pts}'
                f'<object id="4242"/></automationpattern></track>')
    return (f'<?xml version="1.0"?>\n<!DOCTYPE lmms-project>\n<lmms-project version="1.0" creator="LMMS" '
            f'creatorversion="1.2.2" type="song"><head timesig_numerator="4" mastervol="100" timesig_denominator="4" '
            f'bpm="{bpm:g}" masterpitch="0"/><song><trackcontainer type="song">'
            f'<track type="0" muted="0" solo="0" name="{stem}"><instrumenttrack pan="0" fxch="0" pitchrange="1" '
            f'pitch="0" basenote="57" vol="100">{inst}</instrumenttrack>'
            f'<pattern pos="0" muted="0" steps="{bars * 16}" name="{stem}" type="1">{body}</pattern></track>'
            f'{auto}</trackcontainer></song></lmms-project>\n')


# ---------------------------------------------------------------- manifest

def build_manifest():
    versions = fetch()
    x = os.path.join(CACHE, "x")
    entries = []
    for wad in ("freedoom1.wad", "freedoom2.wad"):
        for name, data in wad_music(os.path.join(x, "freedoom/usr/share/games/doom", wad)):
            try:
                t = midi_truth(data)
            except ValueError as err:
                log(f"truth: skip {wad}:{name}: {err}"); continue
            if t["duration_s"] < 20:
                log(f"truth: skip {wad}:{name}: {t['duration_s']} s"); continue
            entries.append({"id": f"freedoom-{wad[8]}-{name[2:].lower()}", "kind": "midi", "origin": "others",
                            "source": f"freedoom {versions['freedoom']}: {wad} lump {name} (FluidSynth, FluidR3_GM)",
                            **t})
    msx = os.path.join(x, "openttd-openmsx/usr/share/games/openttd/baseset/openmsx")
    for f in sorted(os.listdir(msx)):
        if f.endswith(".mid"):
            t = midi_truth(open(os.path.join(msx, f), "rb").read())
            entries.append({"id": "openmsx-" + f[:-4].lower(), "kind": "midi", "origin": "others",
                            "source": f"openttd-openmsx {versions['openttd-openmsx']}: {f} (FluidSynth, FluidR3_GM)", **t})
    demo = os.path.join(x, "hydrogen-data/usr/share/hydrogen/data/demo_songs")
    for f in sorted(os.listdir(demo)):
        t = hydrogen_truth(os.path.join(demo, f))
        entries.append({"id": "hydrogen-" + f[:-7].lower(), "kind": "hydrogen", "origin": "others",
                        "source": f"hydrogen-data {versions['hydrogen-data']}: demo_songs/{f} (h2cli)", **t})
    it = os.path.join(x, "tomatoes-data/usr/share/tomatoes/music/IHaveNoTomatoes.it")
    entries.append({"id": "module-tomatoes", "kind": "module", "origin": "others",
                    "source": f"tomatoes-data {versions['tomatoes-data']}: music/IHaveNoTomatoes.it (openmpt123)",
                    **module_truth(open(it, "rb").read(), "it")})
    for name, data in jumpnbump_mods(os.path.join(x, "jumpnbump/usr/share/games/jumpnbump/jumpbump.dat")):
        entries.append({"id": "module-jnb-" + name[:-4], "kind": "module", "origin": "others",
                        "source": f"jumpnbump {versions['jumpnbump']}: jumpbump.dat {name} (openmpt123)",
                        **module_truth(data, "mod")})
    entries += our_tracks()
    with open(MANIFEST + ".tmp", "w") as fh:
        json.dump({"excerpt_s": EXCERPT_S, "packages": versions, "entries": entries}, fh, indent=1)
        fh.write("\n")
    os.replace(MANIFEST + ".tmp", MANIFEST)
    log(f"truth: {len(entries)} entries → {MANIFEST}")


# ---------------------------------------------------------------- rendering

def audio_path(e):
    return os.path.join(CACHE, "audio", e["id"] + ".flac")


def to_flac(src, dst, extra=()):
    tmp = dst + ".part.flac"
    run(["ffmpeg", "-nostdin", "-v", "error", "-y", "-i", src, "-t", str(EXCERPT_S), *extra, "-c:a", "flac", tmp])
    os.replace(tmp, dst)


def render_entry(e):
    dst = audio_path(e)
    if os.path.exists(dst):
        return e["id"], "cached"
    work = os.path.join(CACHE, "work", e["id"])
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    x = os.path.join(CACHE, "x")
    nice = ["nice", "-n", "10"]
    if e["kind"] == "midi":
        src = e["source"]
        if src.startswith("freedoom"):
            wad, lump = re.search(r"(freedoom\d\.wad) lump (\S+)", src).groups()
            data = dict(wad_music(os.path.join(x, "freedoom/usr/share/games/doom", wad)))[lump]
        else:
            f = re.search(r": (\S+\.mid)", src).group(1)
            data = open(os.path.join(x, "openttd-openmsx/usr/share/games/openttd/baseset/openmsx", f), "rb").read()
        mid = os.path.join(work, "in.mid"); open(mid, "wb").write(data)
        out = os.path.join(work, "out.wav")
        # Stopped once the excerpt is written: many game tunes run for minutes (ffmpeg reads the
        # WAV to its end whatever the header says).
        p = subprocess.Popen(nice + ["fluidsynth", "-ni", "-q", "-o", "player.timing-source=sample", "-g", "0.6",
                                     "-r", str(SR), "-F", out, SOUNDFONT, mid],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        enough = 44 + int(EXCERPT_S * SR) * 4 + SR * 4
        while p.poll() is None:
            if os.path.exists(out) and os.path.getsize(out) >= enough:
                p.terminate(); p.wait(); break
            time.sleep(0.5)
        to_flac(os.path.join(work, "out.wav"), dst)
    elif e["kind"] == "hydrogen":
        f = re.search(r"demo_songs/(\S+\.h2song)", e["source"]).group(1)
        song = os.path.join(x, "hydrogen-data/usr/share/hydrogen/data/demo_songs", f)
        run(nice + ["h2cli", "-s", song, "-o", os.path.join(work, "out.wav"), "-r", str(SR)], timeout=900)
        to_flac(os.path.join(work, "out.wav"), dst)
    elif e["kind"] == "module":
        if "tomatoes" in e["source"]:
            mod = os.path.join(work, "in.it")
            shutil.copy(os.path.join(x, "tomatoes-data/usr/share/tomatoes/music/IHaveNoTomatoes.it"), mod)
        else:
            name = re.search(r"jumpbump.dat (\S+)", e["source"]).group(1)
            mod = os.path.join(work, "in.mod")
            open(mod, "wb").write(dict(jumpnbump_mods(os.path.join(x, "jumpnbump/usr/share/games/jumpnbump/jumpbump.dat")))[name])
        run(nice + ["openmpt123", "--quiet", "--batch", "--render", "--samplerate", str(SR), "--force", mod])
        to_flac(mod + ".wav", dst)
    else:
        render_ours(e, work, dst)
    shutil.rmtree(work, ignore_errors=True)
    return e["id"], "rendered"


def read_wav(path):
    import numpy as np, wave
    with wave.open(path) as w:
        n, ch, sw = w.getnframes(), w.getnchannels(), w.getsampwidth()
        raw = w.readframes(n)
    if sw == 2:
        a = np.frombuffer(raw, dtype=np.int16).astype(np.float64) / 32768.0
    elif sw == 4:
        a = np.frombuffer(raw, dtype=np.float32).astype(np.float64)
    else:
        raise ValueError(f"{path}: {sw}-byte samples")
    return a.reshape(-1, ch)


def render_ours(e, work, dst):
    import numpy as np
    stems = {}
    bar = 4 * 60.0 / e["tempo"]
    n = int(round(SECTIONS[-1][2] * bar * SR))
    for stem in ("kick", "hat", "bass", "pad", "acid"):
        if stem == "acid" and e["acid_db"] is None:
            continue
        p = os.path.join(work, stem + ".mmp")
        open(p, "w").write(lmms_project(e, stem))
        out = os.path.join(work, stem + ".wav")
        run(["nice", "-n", "10", "lmms", "--allowroot", "-r", p, "-o", out, "-f", "wav", "-s", str(SR)],
            env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
        a = read_wav(out)
        i0, loop = int(round(8 * bar * SR)), int(round(8 * bar * SR))
        a = np.pad(a, ((0, max(0, i0 + loop - len(a))), (0, 0)))[i0:i0 + loop]
        stems[stem] = np.tile(a, (n // loop + 1, 1))[:n]
    t = np.arange(n) / SR

    def rms_db(a):
        return 10 * np.log10(np.mean(a ** 2) + 1e-20)
    # Levels (RMS while playing): kick −14, hat −28, bass −20, pads −17 dBFS; the 303 at its level against the pads.
    target = {"kick": -14.0, "hat": -28.0, "bass": -20.0, "pad": -17.0}
    if e["acid_db"] is not None:
        target["acid"] = -17.0 + e["acid_db"]
    mix = np.zeros((n, 2))
    gate = {s: np.zeros(n) for s in stems}
    for kind, a, b in SECTIONS:
        i0, i1 = int(round(a * bar * SR)), int(round(b * bar * SR))
        for s in STEMS_IN[kind]:
            if s in gate:
                gate[s][i0:i1] = 1.0
    # Sidechain: everything but the kick ducks by pump_db on each beat and recovers linearly (in dB) over half a beat.
    beat = bar / 4
    phase = (t % beat) / (beat * 0.5)
    duck_db = -e["pump_db"] * np.clip(1 - phase, 0, 1)
    duck = 10 ** (duck_db / 20)
    for s, a in stems.items():
        on = gate[s] > 0
        g = 10 ** ((target[s] - rms_db(a[on])) / 20) if on.any() else 0.0
        a = a * g * gate[s][:, None]
        if s != "kick":
            a = a * duck[:, None]
        mix += a
    mix *= 10 ** (-1.0 / 20) / max(1e-9, np.max(np.abs(mix)))
    if e.get("mono"):
        mix = mix.mean(axis=1, keepdims=True)
    lead, tail = int(e.get("lead_silence_s", 0) * SR), int(e.get("tail_silence_s", 0) * SR)
    mix = np.pad(mix, ((lead, tail), (0, 0)))
    import wave
    out = os.path.join(work, "mix.wav")
    with wave.open(out, "wb") as w:
        w.setnchannels(mix.shape[1]); w.setsampwidth(2); w.setframerate(SR)
        w.writeframes((np.clip(mix, -1, 1) * 32767).astype("<i2").tobytes())
    tmp = dst + ".part.flac"
    run(["ffmpeg", "-nostdin", "-v", "error", "-y", "-i", out, "-c:a", "flac", tmp])
    os.replace(tmp, dst)


def render(jobs, only=None):
    fetch()
    entries = [e for e in json.load(open(MANIFEST))["entries"] if not only or re.search(only, e["id"])]
    entries.sort(key=lambda e: e["kind"] not in ("lmms", "lmms+silence"))  # the quick ones first
    os.makedirs(os.path.join(CACHE, "audio"), exist_ok=True)
    done = 0
    with cf.ProcessPoolExecutor(jobs) as pool:  # processes: the numpy mixing holds the GIL
        futs = {pool.submit(render_entry, e): e for e in entries}
        for f in cf.as_completed(futs):
            try:
                i, what = f.result()
                done += what == "rendered"
            except Exception as err:  # noqa: BLE001 – one bad render must not stop the corpus
                log(f"truth: render {futs[f]['id']} failed: {err}")
    log(f"truth: {done} rendered, {len(entries)} in the manifest")


# The committed subset for `make test` (Tests/UpliftAnalysisTests/TruthSubsetTests.swift): short mono
# 22.05 kHz clips, at most 2 MB in all, with the truth and ffmpeg's integrated loudness of each clip.
SUBSET = [("lmms-31", 30.0, 20.0), ("lmms-07", 30.0, 20.0), ("hydrogen-tr808kit-demo", 4.0, 16.0)]
SUBSET_DIR = os.path.join(HERE, "subset")


def make_subset():
    entries = {e["id"]: e for e in json.load(open(MANIFEST))["entries"]}
    os.makedirs(SUBSET_DIR, exist_ok=True)
    out = []
    for i, start, dur in SUBSET:
        e = entries[i]
        dst = os.path.join(SUBSET_DIR, i + ".flac")
        run(["ffmpeg", "-nostdin", "-v", "error", "-y", "-ss", str(start), "-t", str(dur), "-i", audio_path(e),
             "-ac", "1", "-ar", "22050", "-sample_fmt", "s16", "-c:a", "flac", "-compression_level", "12", dst])
        r = subprocess.run(["ffmpeg", "-nostdin", "-nostats", "-hide_banner", "-i", dst, "-filter_complex", "ebur128",
                            "-f", "null", "-"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        lufs = float(re.findall(r"I:\s+(-?[\d.]+) LUFS", r.stderr)[-1])
        out.append({"file": i + ".flac", "source": e["source"], "kind": e["kind"], "origin": e["origin"],
                    "tempo": e["tempo"], "key": e["key"] if e["key_sure"] else None,
                    "acid": e.get("acid_db") is not None if e["kind"] == "lmms" else None,
                    "ffmpeg_integrated_lufs": lufs, "clip_start_s": start})
    json.dump({"note": "made by truth.py subset; mono 22.05 kHz clips of the truth corpus", "clips": out},
              open(os.path.join(SUBSET_DIR, "subset.json"), "w"), indent=1)
    total = sum(os.path.getsize(os.path.join(SUBSET_DIR, c["file"])) for c in out)
    log(f"truth: subset {len(out)} clips, {total / 1e6:.2f} MB")


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("command", choices=["manifest", "render", "score", "all", "subset"])
    ap.add_argument("--uplift", default=".build/release/uplift")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--only", help="regex on entry ids")
    ap.add_argument("--json-out", help="write the scores as JSON here too")
    args = ap.parse_args()
    if args.command == "manifest":
        build_manifest()
    if args.command == "subset":
        make_subset()
    if args.command in ("render", "all"):
        render(args.jobs, args.only)
    if args.command in ("score", "all"):
        import score
        score.main(args, MANIFEST, audio_path)
