"""The verdict on one settlement claim: unique (one settlement, one point), ambiguous or not found."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict

from analysis.curate.findings import (
    Candidate,
    Finding,
    OblastCheck,
    _describe,
    _discriminating_level,
    _groups,
    _select_by_admin,
)
from analysis.curate.gazetteers import (
    GazetteerIndex,
    _Keyed,
)
from analysis.curate.neighbours import centre_point, compass, distance_km, hromada_fit, infer_admin, raion_support
from analysis.curate.placenames import (
    _CYRILLIC,
    CENTRE_OUT_KM,
    GAZETTEER_CITIES,
    GAZETTEER_POSTAL,
    RUSSIA_REGIONS,
    UKRAINE_OBLASTS,
    loose_key,
    name_keys,
    strict_key,
    transliterate_uk,
)


def locate_claim(
    row: Mapping[str, str],
    index: GazetteerIndex,
    *,
    km_outside: OblastCheck | None = None,
    tolerance_km: float = 3.0,
    centroid: tuple[float, float] | None = None,
) -> Finding:
    """Candidates and a verdict for one settlement claim.

    Args:
        row: A claims.csv row (place, place_alias, oblast; raion and hromada when present).
        index: From `index_gazetteers`.
        km_outside: The oblast check; a candidate further than `tolerance_km` outside the
            claim's oblast is refused. None leaves points unchecked.
        tolerance_km: See `km_outside`.
        centroid: Centroid of the other located claims of the same date, for the distance hint.

    Returns:
        The finding; its `chosen` candidate is set only when the verdict is `unique`.
    """
    place, alias = (row.get("place") or "").strip(), (row.get("place_alias") or "").strip()
    oblast = (row.get("oblast") or "").strip()
    raion, hromada = (row.get("raion") or "").strip(), (row.get("hromada") or "").strip()
    formers = [n.strip() for n in (row.get("former_name") or "").split(";") if n.strip()]
    base = {
        "claim_id": row.get("claim_id", ""),
        "place": place,
        "oblast": oblast,
        "has_point": bool(row.get("latitude")),
        "precision": row.get("location_precision", ""),
    }
    if not place:
        return Finding(verdict="not found", reason="the claim names no place", **base)
    if oblast not in UKRAINE_OBLASTS and oblast not in RUSSIA_REGIONS:
        return Finding(verdict="not found", reason=f"oblast '{oblast}' is not one the gazetteers cover", **base)

    p_strict, p_loose = strict_key(place), loose_key(place)
    a_loose = loose_key(alias) if alias else ""
    in_ukraine = oblast in UKRAINE_OBLASTS

    namesakes = list(index.settlements_strict.get((oblast, p_strict), []))
    spelling_note = ""
    if in_ukraine and not namesakes:
        namesakes = list(index.settlements_loose.get((oblast, p_loose), []))
        if namesakes:
            spelling_note = f"spelling differs from the codifier's ({', '.join(sorted({s.name for s in namesakes}))})"

    keyed = []
    matches = []
    for k in index.places_by_oblast.get(oblast, ()):
        if p_strict in k.strict:
            keyed.append(k)
            matches.append("strict")
        elif p_loose in k.loose or (a_loose and a_loose in k.loose):
            keyed.append(k)
            matches.append("loose")
        elif any(name_keys(f)[0] in k.strict or name_keys(f)[1] in k.loose for f in formers):
            keyed.append(k)
            matches.append("former")
    groups = _groups(keyed)

    # A point whose own main name is another settlement of the oblast in the codifier was matched
    # on a former name or a variant spelling (GeoNames keeps pre-2016 names as alternates): it
    # is that other settlement.
    own_codes = {s.code for s in namesakes}

    def other_settlement(k: _Keyed) -> bool:
        main_loose = loose_key(transliterate_uk(k.place.name) if _CYRILLIC.search(k.place.name) else k.place.name)
        if k.primary_strict == p_strict or main_loose == p_loose:
            return False
        bearers = index.settlements_strict.get((oblast, k.primary_strict), []) + index.settlements_loose.get((oblast, main_loose), [])
        return bool(bearers) and not own_codes & {s.code for s in bearers}

    renamed_groups = {g for k, g in zip(keyed, groups) if other_settlement(k)}

    admin_of_group: dict[int, tuple[str, str]] = {}
    for g in set(groups):
        members = [k for k, gg in zip(keyed, groups) if gg == g]
        rep = members[0].place
        admin_of_group[g] = infer_admin(index, oblast, rep.lat, rep.lon)

    selected, admin_note = (namesakes, "")
    if in_ukraine and (raion or hromada):
        selected, admin_note = _select_by_admin(index, oblast, namesakes, raion, hromada)
    target = selected[0] if in_ukraine and len(selected) == 1 else None

    candidates = []
    for k, g, m in zip(keyed, groups, matches):
        p = k.place
        off = km_outside(oblast, p.lat, p.lon) if km_outside else None
        r_code, h_code = admin_of_group[g]
        candidates.append(
            Candidate(
                gazetteer=p.gazetteer,
                gazetteer_id=p.place_id,
                name=p.name,
                oblast=p.oblast,
                raion=index.raion_names.get(r_code, ""),
                hromada=index.hromada_names.get(h_code, "").strip(),
                admin_basis="neighbours",
                latitude=p.latitude,
                longitude=p.longitude,
                match=m,
                group=g,
                km_to_centroid=round(distance_km(centroid[0], centroid[1], p.lat, p.lon), 1) if centroid else None,
                direction=compass(centroid[0], centroid[1], p.lat, p.lon) if centroid else "",
                km_outside_oblast=None if off is None else round(off, 1),
                in_oblast=None if off is None else off <= tolerance_km,
            )
        )

    def finding(verdict: str, reason: str, chosen: Candidate | None = None) -> Finding:
        reason = "; ".join(x for x in (spelling_note, admin_note, reason) if x)
        return Finding(
            verdict=verdict,
            reason=reason,
            namesakes=tuple(namesakes),
            candidates=tuple(candidates),
            chosen=chosen,
            **base,
        )

    def _accept(group: int, members: list[Candidate], how: str) -> Finding:
        members = sorted(members, key=lambda c: (c.gazetteer != GAZETTEER_CITIES, c.match != "strict", c.gazetteer_id))
        first = members[0]
        chosen = Candidate(
            **{**asdict(first), "raion": target.raion, "hromada": target.hromada.strip(), "admin_basis": "codifier", "katottg_code": target.code}
        )
        candidates[:] = [chosen if c == first else c for c in candidates]
        check = "" if chosen.in_oblast else "; oblast not checked"
        vote = admin_of_group[group][0]
        if vote == target.raion_code:
            vote_note = ""
        elif not vote:
            vote_note = "; neighbour vote on the raion undecided"
        else:
            vote_note = f"; neighbours lean to {index.raion_names.get(vote, vote)} raion (near a raion edge?)"
        return finding("unique", f"{how} ({target.code}){vote_note}{check}", chosen)

    def _accept_former(by_former: list[Candidate]) -> Finding:
        """A point under a former name the sources give: only when its neighbours put it in the hromada.

        The codifier does not list former names, so other bearers of the name cannot be counted:
        the point must be the only one of the former name whose neighbours agree (unanimously) on
        the target's hromada, and every other point of the former name must lie elsewhere.
        """
        current = [s for f in formers for s in index.settlements_strict.get((oblast, name_keys(f)[0]), []) if s.hromada_code == target.hromada_code]
        if current:
            return finding("ambiguous", f"the former name {', '.join(formers)} is also a settlement of {target.hromada.strip()} hromada today")
        centre = centre_point(index, oblast, target.hromada_code)
        inside, unclear = [], []
        for g in sorted({c.group for c in by_former}):
            r_code, h_code = admin_of_group[g]
            rep = next(c for c in by_former if c.group == g)
            d = distance_km(float(rep.latitude), float(rep.longitude), *centre) if centre else None
            if (h_code and h_code != target.hromada_code) or (r_code and r_code != target.raion_code) or (d is not None and d > CENTRE_OUT_KM):
                continue
            fit = (
                "in" if h_code == target.hromada_code else hromada_fit(index, oblast, float(rep.latitude), float(rep.longitude), target.hromada_code)
            )
            if fit == "in":
                inside.append(g)
            elif fit == "unsure":
                unclear.append(g)
        names = ", ".join(formers)
        if len(inside) == 1 and not unclear:
            members = [c for c in by_former if c.group == inside[0]]
            return _accept(inside[0], members, f"found under its former name {names}, in {target.hromada.strip()} hromada by its neighbours")
        return finding(
            "ambiguous",
            f"the codifier has {_describe([target])}; points under the former name {names} cannot be tied to its hromada",
        )

    if not in_ukraine:
        if candidates:
            return finding("ambiguous", "outside Ukraine: no codifier to rule out namesakes")
        return finding("not found", "outside Ukraine: no cities500 point of this name")
    if not namesakes:
        if candidates:
            return finding(
                "ambiguous",
                "the codifier has no settlement of this name in the oblast (a former name, or another spelling?): uniqueness cannot be checked",
            )
        return finding("not found", "no settlement of this name in the codifier or the gazetteers for this oblast")
    if not selected:
        return finding(
            "ambiguous", f"{len(namesakes)} settlements of this name in the oblast, none in the named raion/hromada: {_describe(namesakes)}"
        )
    if target is None:
        where = "in the named raion/hromada" if (raion or hromada) else "in the oblast, and the sources name no raion or hromada"
        return finding("ambiguous", f"{len(selected)} settlements of this name {where}: {_describe(selected)}")

    level = _discriminating_level(target, namesakes)
    if level == "none":
        return finding("ambiguous", f"namesakes in the same hromada: {_describe(namesakes)}")

    in_oblast = [c for c in candidates if c.in_oblast is not False and c.match != "former"]
    refused_outside = [c for c in candidates if c.in_oblast is False]
    if any(c.match == "strict" for c in in_oblast):
        in_oblast = [c for c in in_oblast if c.match == "strict"]  # a variant spelling may be another village
    usable = [c for c in in_oblast if c.group not in renamed_groups]
    # Points matched on an alternate name whose main name is another settlement: that settlement
    # bore the name (GeoNames keeps pre-2016 names), and claimants often use the old names.
    former = sorted({c.group for c in in_oblast if c.group in renamed_groups})
    former_names = ", ".join(sorted({c.name for c in in_oblast if c.group in renamed_groups}))

    centre = None
    if level in ("raion", "hromada"):
        centre = centre_point(index, oblast, target.raion_code if level == "raion" else target.hromada_code)
    # Being near a centre says little (neighbouring hromadas' villages are as near), but a point far
    # from it lies outside the unit.
    far_km = CENTRE_OUT_KM if level == "hromada" else 2 * CENTRE_OUT_KM

    rivals = {s.hromada_code for s in namesakes if s.code != target.code}

    def placement(g: int) -> str:
        """'in', 'out' or 'unsure': is this point in the raion/hromada that singles out the target?"""
        r_code, h_code = admin_of_group[g]
        rep = next(c for c in in_oblast if c.group == g)
        lat, lon = float(rep.latitude), float(rep.longitude)
        support = raion_support(index, oblast, lat, lon, target.raion_code)
        if level == "oblast":
            # A unique name is refused only when no neighbour at all lies in its raion: near a
            # raion's edge the vote can go either way.
            return "in" if r_code == target.raion_code or support else "out"
        own, vote = (target.raion_code, r_code) if level == "raion" else (target.hromada_code, h_code)
        d = distance_km(lat, lon, *centre) if centre else None
        raion_ok = r_code in ("", target.raion_code) or support > 0
        if (vote and vote != own) or (d is not None and d > far_km) or not raion_ok:
            return "out"
        if vote == own:
            return "in"
        if level == "hromada":
            return hromada_fit(index, oblast, lat, lon, target.hromada_code, rivals)
        return "unsure"

    if former and (level == "oblast" or any(placement(g) != "out" for g in former)):
        return finding(
            "ambiguous",
            f"the codifier's {target.name} ({target.code}) is not the only settlement to have borne the name: "
            f"GeoNames also gives it as a former name of {former_names}",
        )
    own_groups = sorted({c.group for c in usable})
    if level == "oblast" and len(own_groups) > 1:
        return finding(
            "ambiguous",
            f"{len(own_groups)} distinct gazetteer points of the name for the one settlement {_describe([target])} "
            "(a former name of another village, or a copied point)",
        )
    placed = {g: placement(g) for g in own_groups}
    agreeing = [g for g, p in placed.items() if p == "in"]
    unsure = [g for g, p in placed.items() if p == "unsure"]
    area = f"{target.raion} raion" if level in ("oblast", "raion") else f"{target.hromada.strip()} hromada"
    if len(agreeing) > 1 or (agreeing and unsure):
        return finding(
            "ambiguous", f"{len(agreeing) + len(unsure)} distinct gazetteer points may lie in {area}, the one settlement {_describe([target])}"
        )
    if not agreeing:
        if unsure:
            return finding(
                "ambiguous",
                f"the neighbours cannot tell whether the gazetteer point lies in {area}, where the codifier has {target.name} ({target.code})",
            )
        if own_groups:
            return finding("ambiguous", f"the gazetteer points lie outside {area}, where the codifier has {target.name} ({target.code})")
        by_former = [c for c in candidates if c.match == "former" and c.in_oblast is not False]
        if by_former:
            return _accept_former(by_former)
        if refused_outside:
            return finding("not found", f"the only points lie outside {oblast} oblast (refused)")
        return finding("not found", f"the codifier has {_describe([target])} but neither gazetteer has its point")

    group = agreeing[0]
    members = [c for c in usable if c.group == group]
    if level != "oblast":
        # The postal file sometimes copies one village's point to its namesake: rows whose codes
        # belong to different postal districts at one point cannot be told apart.
        prefixes = {code[:3] for c in members if c.gazetteer == GAZETTEER_POSTAL for code in c.gazetteer_id.split(";")}
        if len(prefixes) > 1:
            return finding("ambiguous", "postal rows from different postal districts share this point (a copied point?)")
    how = {
        "oblast": "the only settlement of this name in the oblast",
        "raion": f"the only one of {len(namesakes)} namesakes in {target.raion} raion",
        "hromada": f"the only one of {len(namesakes)} namesakes in {target.hromada.strip()} hromada",
    }[level]
    return _accept(group, members, how)
