"""Scores `uplift analyze --json` against the truth manifest; ffmpeg's ebur128 is run beside it."""
import concurrent.futures as cf, json, os, re, statistics, subprocess, sys

NAMES = {"C": 0, "C#": 1, "Db": 1, "D": 2, "D#": 3, "Eb": 3, "E": 4, "F": 5, "F#": 6, "Gb": 6, "G": 7,
         "G#": 8, "Ab": 8, "A": 9, "A#": 10, "Bb": 10, "B": 11}
TOL = 0.04                 # tempo tolerance (MIREX): 4 %
ACID_ON = 0.2              # acid.score at or above this counts as "acid detected"


def analyse(uplift, paths):
    out = subprocess.run([uplift, "analyze", "--json", *paths], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    data = json.loads(out.stdout or b"[]")
    data = data if isinstance(data, list) else [data]
    return data


def ffmpeg_lufs(path, cache):
    key = os.path.basename(path) + f":{os.path.getsize(path)}:{int(os.path.getmtime(path))}"
    if key in cache:
        return cache[key]
    r = subprocess.run(["ffmpeg", "-nostdin", "-nostats", "-hide_banner", "-i", path, "-filter_complex", "ebur128",
                        "-f", "null", "-"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    m = re.findall(r"I:\s+(-?[\d.]+|-inf) LUFS", r.stderr)
    v = float(m[-1]) if m else None
    cache[key] = v
    return v


def key_of(k):
    if not k or k.get("tonic") in (None, "") or k.get("mode") not in ("major", "minor"):
        return None
    return NAMES[k["tonic"]], k["mode"]


def truth_key(s):
    tonic, mode = s.split()
    return NAMES[tonic], mode


def mirex(est, ref):
    """1 exact, 0.5 fifth (same mode, tonic a fifth up or down), 0.3 relative, 0.2 parallel, 0 else."""
    (et, em), (rt, rm) = est, ref
    if (et, em) == (rt, rm):
        return 1.0, "exact"
    if em == rm and (et - rt) % 12 in (5, 7):
        return 0.5, "fifth"
    if em != rm and ((rm == "major" and et == (rt + 9) % 12) or (rm == "minor" and et == (rt + 3) % 12)):
        return 0.3, "relative"
    if em != rm and et == rt:
        return 0.2, "parallel"
    return 0.0, "other"


def pct(n, d):
    return f"{100.0 * n / d:5.1f} % ({n}/{d})" if d else "   –"


def fmt(x, spec=".2f"):
    return "–" if x is None else format(x, spec)


def boundaries_s(sections):
    return [s["start_s"] for s in sections[1:]]


def main(args, manifest_path, audio_path):
    man = json.load(open(manifest_path))
    entries = [e for e in man["entries"] if os.path.exists(audio_path(e))
               and (not args.only or re.search(args.only, e["id"]))]
    missing = [e["id"] for e in man["entries"] if not os.path.exists(audio_path(e))]
    if missing:
        print(f"truth: {len(missing)} entries not rendered (left out): {', '.join(missing[:8])}…", file=sys.stderr)
    cache_dir = os.path.dirname(os.path.dirname(audio_path(entries[0])))
    lufs_cache_path = os.path.join(cache_dir, "ffmpeg-ebur128.json")
    lufs_cache = json.load(open(lufs_cache_path)) if os.path.exists(lufs_cache_path) else {}
    res = {}
    batches = [entries[i:i + 6] for i in range(0, len(entries), 6)]
    with cf.ThreadPoolExecutor(args.jobs) as pool:
        futs = {pool.submit(analyse, args.uplift, [audio_path(e) for e in b]): b for b in batches}
        lufs = {e["id"]: pool.submit(ffmpeg_lufs, audio_path(e), lufs_cache) for e in entries}
        for f in cf.as_completed(futs):
            b = futs[f]
            for e, a in zip(b, f.result()):
                res[e["id"]] = a
    tmp = lufs_cache_path + ".tmp"
    json.dump(lufs_cache, open(tmp, "w")); os.replace(tmp, lufs_cache_path)
    rows, out = [], {}

    def line(label, value):
        rows.append(f"  {label:<44} {value}")
    # ---- tempo
    rows.append("TEMPO (Acc1: within 4 % where the truth is sure; Acc2: also ×2, ×½, ×3, ×⅓; all with a tempo)")
    kinds = [("all", lambda e: True), ("others' music", lambda e: e["origin"] == "others"),
             ("midi", lambda e: e["kind"] == "midi"), ("hydrogen", lambda e: e["kind"] == "hydrogen"),
             ("module", lambda e: e["kind"] == "module"), ("lmms (ours)", lambda e: e["kind"].startswith("lmms")),
             ("four-on-the-floor 120–150", lambda e: e["four_on_floor"] and 120 <= e["tempo"] <= 150)]
    wrong_conf, right_conf, octave = [], [], []
    for name, pick in kinds:
        sel = [e for e in entries if pick(e) and e["id"] in res and res[e["id"]].get("tempo")]
        a1 = a2 = n1 = 0
        for e in sel:
            t = res[e["id"]]["tempo"]
            bpm, ref = t.get("bpm") or 0, e["tempo"]
            ok1 = abs(bpm - ref) <= TOL * ref
            ok2 = any(abs(bpm - ref * m) <= TOL * ref * m for m in (1, 2, 0.5, 3, 1 / 3))
            a2 += ok2
            if e["tempo_sure"]:
                n1 += 1; a1 += ok1
                if name == "all":
                    conf = t.get("confidence")
                    (right_conf if ok1 else wrong_conf).append(conf if isinstance(conf, (int, float)) else 0)
                    if not ok1 and any(abs(bpm - ref * m) <= TOL * ref * m for m in (2, 0.5)):
                        octave.append(f"{e['id']} {ref:g}→{bpm:.1f} (conf {t.get('confidence')})")
        line(f"{name}: Acc1", pct(a1, n1)); line(f"{name}: Acc2", pct(a2, len(sel)))
        out[f"tempo_acc1_{name}"] = a1 / n1 if n1 else None
        out[f"tempo_acc2_{name}"] = a2 / len(sel) if sel else None
    line("octave errors (sure truth)", f"{len(octave)}")
    for o in octave[:12]:
        rows.append(f"      {o}")
    line("confidence of wrong answers (mean / max)",
         f"{fmt(statistics.mean(wrong_conf) if wrong_conf else None)} / {fmt(max(wrong_conf) if wrong_conf else None)}"
         f"  (right: {fmt(statistics.mean(right_conf) if right_conf else None)})")
    out["octave_errors"] = len(octave)
    amb = [e for e in entries if e["id"] in res and (res[e["id"]].get("tempo") or {}).get("alternative_bpm")]
    alt_right = [e for e in amb if e["tempo_sure"]
                 and abs(res[e["id"]]["tempo"]["alternative_bpm"] - e["tempo"]) <= TOL * e["tempo"]]
    four_amb = [e for e in amb if e["four_on_floor"] and 120 <= e["tempo"] <= 150]
    line("octave-ambiguous answers (\"A or B BPM\")", f"{len(amb)}; the alternative is the truth in {len(alt_right)}; "
         f"on four-on-the-floor 120–150: {len(four_amb)}")
    amb_wrong_conf = [res[e["id"]]["tempo"].get("confidence") or 0 for e in amb if e["tempo_sure"]
                      and abs(res[e["id"]]["tempo"]["bpm"] - e["tempo"]) > TOL * e["tempo"]]
    line("  of them wrong (sure truth): n / max confidence",
         f"{len(amb_wrong_conf)} / {fmt(max(amb_wrong_conf) if amb_wrong_conf else None)}")
    either = [e for e in entries if e["tempo_sure"] and e["id"] in res and res[e["id"]].get("tempo")
              and any(b and abs(b - e["tempo"]) <= TOL * e["tempo"]
                      for b in (res[e["id"]]["tempo"].get("bpm"), res[e["id"]]["tempo"].get("alternative_bpm")))]
    n_sure = sum(1 for e in entries if e["tempo_sure"] and e["id"] in res and res[e["id"]].get("tempo"))
    line("Acc1 of the reading or its shown alternative", pct(len(either), n_sure))
    out["tempo_acc1_either"] = len(either) / n_sure if n_sure else None
    # ---- key
    rows.append("KEY (scored where the truth is sure; MIREX weights 1 / 0.5 fifth / 0.3 relative / 0.2 parallel)")
    for name, pick in [("all", lambda e: True), ("midi (others)", lambda e: e["kind"] == "midi"),
                       ("lmms (ours)", lambda e: e["kind"] == "lmms")]:
        sel = [e for e in entries if pick(e) and e["key_sure"] and e["id"] in res]
        counts, total = {"exact": 0, "fifth": 0, "relative": 0, "parallel": 0, "other": 0}, 0.0
        for e in sel:
            est = key_of(res[e["id"]].get("key"))
            w, what = mirex(est, truth_key(e["key"])) if est else (0.0, "other")
            counts[what] += 1; total += w
        line(f"{name}: n / exact / fifth / relative / parallel / other",
             f"{len(sel)} / {counts['exact']} / {counts['fifth']} / {counts['relative']} / {counts['parallel']} / {counts['other']}")
        line(f"{name}: exact, MIREX weighted",
             f"{pct(counts['exact'], len(sel))}, {fmt(total / len(sel) if sel else None, '.3f')}")
        out[f"key_mirex_{name}"] = total / len(sel) if sel else None
    # ---- acid
    rows.append(f"ACID (ours: lb302 line at a level against the pads; detected = acid.score ≥ {ACID_ON})")
    ours = [e for e in entries if e["kind"] == "lmms" and e["id"] in res]
    for lvl in (0, -6, -12, -18):
        sel = [e for e in ours if e.get("acid_db") == lvl]
        hit = [e for e in sel if (res[e["id"]]["acid"].get("score") or 0) >= ACID_ON]
        sc = [res[e["id"]]["acid"].get("score") or 0 for e in sel]
        line(f"303 at {lvl:+d} dB vs pads: detected", pct(len(hit), len(sel)) + f"  median score {fmt(statistics.median(sc) if sc else None)}")
        out[f"acid_detect_{lvl}"] = len(hit) / len(sel) if sel else None
    non = [e for e in entries if e["id"] in res and e.get("acid_db") is None and e["kind"] != "lmms+silence"]
    fp = [e for e in non if (res[e["id"]]["acid"].get("score") or 0) >= ACID_ON]
    nz = [e for e in non if (res[e["id"]]["acid"].get("score") or 0) > 0]
    line("no 303: false positives (score ≥ threshold)", pct(len(fp), len(non)) + f"; reads > 0: {len(nz)}")
    out["acid_false_positive"] = len(fp) / len(non) if non else None
    # ---- pumping
    rows.append("PUMPING (ours: everything but the kick ducked by a known depth on each beat)")
    for depth in (0, 3, 6, 9):
        sel = [e for e in ours if e.get("pump_db") == depth]
        got = [res[e["id"]]["pumping"].get("depth_db") or 0 for e in sel]
        err = [abs(g - depth) for g in got]
        within = sum(1 for x in err if x <= 2)
        line(f"{depth} dB rendered: median read / within ±2 dB",
             f"{fmt(statistics.median(got) if got else None, '.1f')} dB / {pct(within, len(sel))}")
    allerr = [abs((res[e['id']]['pumping'].get('depth_db') or 0) - e['pump_db']) for e in ours if e['pump_db'] >= 3]
    line("depth error, 3–9 dB (mean |error|)", f"{fmt(statistics.mean(allerr) if allerr else None, '.1f')} dB")
    out["pump_mean_error_db"] = statistics.mean(allerr) if allerr else None
    # ---- sections
    rows.append("SECTIONS (ours: boundaries at bars 8, 24, 32, 48 of 56; error = nearest detected boundary, bars)")
    errs, counts = [], []
    for e in ours:
        bar = 240.0 / e["tempo"]
        det = boundaries_s(res[e["id"]].get("sections") or [])
        counts.append(len(res[e["id"]].get("sections") or []))
        for b in (8, 24, 32, 48):
            errs.append(min([abs(d / bar - b) for d in det] or [56]))
    if errs:
        line("boundary error: median / within 1 bar / within 2 bars",
             f"{statistics.median(errs):.2f} / {pct(sum(x <= 1 for x in errs), len(errs))} / {pct(sum(x <= 2 for x in errs), len(errs))}")
        line("sections found (truth 5): median", f"{statistics.median(counts):g}")
        out["section_median_error_bars"] = statistics.median(errs)
    sil = [e for e in entries if e["kind"] == "lmms+silence" and e["id"] in res]
    same, moved = 0, []
    for e in sil:
        base = res.get(e["id"][:-len("-silence")])
        if not base:
            continue
        bar, lead = 240.0 / e["tempo"], e["lead_silence_s"]
        a = [s for s in res[e["id"]].get("sections") or [] if s["kind"] != "silence"]
        b = base.get("sections") or []
        kinds_same = [s["kind"] for s in a] == [s["kind"] for s in b]
        shift = max([abs((x["start_s"] - lead) - y["start_s"]) / bar for x, y in zip(a[1:], b[1:])] or [0])
        if kinds_same and shift <= 1:
            same += 1
        else:
            moved.append(f"{e['id']}: {len(b)}→{len(a)} sections, max shift {shift:.1f} bars, "
                         f"first/last {a[0]['kind'] if a else '-'}/{a[-1]['kind'] if a else '-'}")
    line("10 s before + 60 s after: sections unchanged", pct(same, len(sil)))
    for m in moved[:6]:
        rows.append(f"      {m}")
    out["silence_unchanged"] = same / len(sil) if sil else None
    # ---- loudness
    rows.append("LOUDNESS (integrated, uplift vs ffmpeg ebur128 run beside it)")
    for name, pick in [("stereo", lambda e: not e.get("mono")), ("mono", lambda e: e.get("mono"))]:
        d = []
        for e in entries:
            if pick(e) and e["id"] in res:
                f = lufs[e["id"]].result()
                u = res[e["id"]]["loudness"].get("integrated_lufs")
                if isinstance(f, float) and isinstance(u, (int, float)):
                    d.append(u - f)
        if d:
            line(f"{name}: mean Δ / max |Δ| / within 0.1 LU",
                 f"{statistics.mean(d):+.2f} / {max(map(abs, d)):.2f} LU / {pct(sum(abs(x) <= 0.1 for x in d), len(d))}")
            out[f"lufs_mean_delta_{name}"] = statistics.mean(d)
    n_others = sum(e["origin"] == "others" for e in entries)
    four = sum(e["four_on_floor"] and 120 <= e["tempo"] <= 150 and e["kind"] != "lmms+silence" for e in entries)
    print(f"uplift truth corpus: {len(entries)} tracks ({n_others} by other people, {four} four-on-the-floor 120–150 BPM), "
          f"analysed by {args.uplift}")
    print("\n".join(rows))
    if args.json_out:
        json.dump({"scores": out, "analyses": res}, open(args.json_out, "w"), indent=1)
