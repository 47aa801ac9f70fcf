"""Clinical content for the realistic-note generator: PHI-free lines as ICU staff write them.

Every function takes a ``random.Random`` and returns one telegraphic line (no PHI). The
lines carry the traps a de-identifier must leave alone: measurements that look like dates
or phone numbers (``7/10``, ``600x12``, ``97-100``), ALL-CAPS abbreviations (CO, PAP, MVR,
MOM, IRR), eponyms (Parkinson, Foley, Apgar) and words that are also surnames (MAY, WARD).
"""

from __future__ import annotations

import random
from collections.abc import Callable

Line = Callable[[random.Random], str]


def _pick(rng: random.Random, *options: str) -> str:
    return rng.choice(options)


def _range(rng: random.Random, low: int, high: int, width: int) -> str:
    start = rng.randint(low, high)
    return f"{start}-{start + width}"


def pain(rng: random.Random) -> str:
    before, after = rng.randint(4, 10), rng.randint(0, 4)
    drug = _pick(
        rng,
        "dilaudid 0.5 mg IV",
        "morphine 2 mg IV",
        "oxycodone 5 mg PO",
        "tylenol 650 PO",
        "fentanyl 25 mcg IV",
    )
    return _pick(
        rng,
        f"Pain {before}/10 {_pick(rng, 'incision', 'abd', 'back', 'chest wall', 'L hip')}, medicated with {drug}, relief to {after}/10.",
        f"c/o pain {before}/10, {drug} given with good effect.",
        f"PAIN {after}/10 AT REST, {before}/10 WITH TURNING.",
        f"denies pain, {after}/10.",
    )


def vitals(rng: random.Random) -> str:
    sbp, dbp, hr = rng.randint(88, 168), rng.randint(42, 96), rng.randint(52, 128)
    return _pick(
        rng,
        f"VS: BP {sbp}/{dbp} HR {hr} {_pick(rng, 'SR', 'ST', 'AFIB', 'SB', 'NSR')} RR {rng.randint(12, 30)} T {rng.randint(97, 101)}.{rng.randint(0, 9)} SpO2 {rng.randint(90, 100)}%.",
        f"HR {_range(rng, 60, 110, 20)} {_pick(rng, 'SR', 'ST', 'AFIB')}, SBP {_range(rng, 90, 140, 30)}.",
        f"Sp02 {_range(rng, 90, 97, 3)} on {rng.randint(2, 6)}L NC, RR {_range(rng, 14, 24, 6)}.",
        f"{_pick(rng, '70 AV', '80 AV', '60 A')} paced, {_pick(rng, 'no ectopy', 'occ PVC', 'rare PAC')}.",
        f"{rng.randint(2, 6)}L O2 via NC, weaned from {_pick(rng, 'face tent', '50% venti mask', 'NRB')}.",
        f"MAP {rng.randint(58, 95)}, CVP {rng.randint(4, 18)}.",
        f"CO {rng.randint(3, 7)}.{rng.randint(0, 9)} CI {rng.randint(1, 4)}.{rng.randint(0, 9)} PAP {rng.randint(25, 60)}/{rng.randint(10, 30)} SVR {rng.randint(7, 16)}00.",
    )


def vent(rng: random.Random) -> str:
    vt, rate, peep, fio2 = (
        _pick(rng, "400", "450", "500", "550", "600"),
        rng.randint(10, 20),
        rng.choice([5, 8, 10, 12, 14]),
        rng.choice([30, 35, 40, 50, 60, 80, 100]),
    )
    return _pick(
        rng,
        f"VENT: AC {vt}x{rate}, PEEP {peep}, FIO2 {fio2}%.",
        f"vent {vt}x{rate} peep{peep} fio2 .{fio2 // 10}, abg {_pick(rng, '7.38/42/98', '7.31/49/71', '7.45/35/110')}.",
        f"PS {rng.choice([5, 8, 10, 12, 15])}/{rng.choice([5, 8])} trial, RSBI {rng.randint(40, 110)}, tolerating.",
        f"CPAP {peep}/5 FiO2 {fio2}%, Vt {_range(rng, 350, 450, 50)}.",
        f"SIMV {vt}x{rate} PS 10 PEEP {peep}, plat {rng.randint(18, 32)}.",
        f"Ratio {rng.choice([10, 12, 15])}/5 on BiPAP, FiO2 {fio2}%.",
        f"ETT 7.5 @ {rng.randint(21, 25)} at the lip, sx for {_pick(rng, 'sm', 'mod', 'lg')} amt {_pick(rng, 'thick tan', 'thin white', 'yellow')}.",
    )


def drips(rng: random.Random) -> str:
    return _pick(
        rng,
        f"Levophed {rng.randint(2, 20) / 100:.2f} mcg/kg/min, titrating to MAP > {rng.choice([60, 65])}.",
        f"Heparin gtt at {rng.randint(8, 16)}00 units/hr, PTT {rng.randint(45, 95)}, goal 60-80.",
        f"Propofol {rng.randint(10, 50)} mcg/kg/min, RASS {rng.choice(['0', '-1', '-2', '-3'])}.",
        f"insulin gtt {rng.randint(1, 9)} u/hr, FS {_range(rng, 110, 180, 40)} q1h.",
        f"Lasix gtt {rng.randint(5, 20)} mg/hr, neg {rng.randint(5, 25) / 10:.1f}L since MN.",
        f"NS @ {rng.choice([75, 100, 125, 150])}/HR, K {rng.randint(30, 52) / 10:.1f}, REPLETE {rng.choice([20, 40])} MEQ X2.",
        f"fentanyl {rng.choice([25, 50, 75, 100])} mcg/hr and versed {rng.randint(1, 6)} mg/hr.",
        f"Amio gtt 0.5 mg/min after 150 mg bolus, HR {_range(rng, 80, 100, 15)}.",
        f"TF: {_pick(rng, 'promote', 'jevity 1.2', 'nepro', 'impact')} @ {rng.randint(20, 80)} ml/hr, residuals {_range(rng, 10, 60, 30)}cc.",
    )


def intake_output(rng: random.Random) -> str:
    intake, out = rng.randint(8, 40) * 100, rng.randint(6, 40) * 100
    net = intake - out
    return _pick(
        rng,
        f"I/O: {intake}cc in, {out}cc out, net {'+' if net >= 0 else 'neg '}{abs(net)}.",
        f"UOP {_range(rng, 20, 80, 20)}cc/hr, {'MD aware' if rng.random() < 0.5 else 'adequate'}.",
        f"{rng.choice([250, 500, 1000])}cc NS bolus x{rng.randint(1, 3)}, UO improved.",
        f"I/O {intake}/{out}.",
        f"CT out {rng.randint(20, 300)}cc serosang, no air leak.",
        f"pt ambulated {rng.randint(1, 3)}x in hall, {_range(rng, 100, 500, 500)} ft.",
    )


def labs(rng: random.Random) -> str:
    return _pick(
        rng,
        f"K {rng.randint(30, 60) / 10:.1f}, Mg {rng.randint(14, 26) / 10:.1f}, Phos {rng.randint(18, 50) / 10:.1f}.",
        f"wbc {rng.randint(40, 220) / 10:.1f} -> {rng.randint(40, 180) / 10:.1f}, lactate {rng.randint(8, 60) / 10:.1f}.",
        f"HCT {rng.randint(20, 40)}.{rng.randint(0, 9)}, {rng.randint(1, 2)} UNIT PRBC GIVEN.",
        f"INR {rng.randint(10, 40) / 10:.1f}, coumadin {_pick(rng, 'held', 'given', 'dose decreased')}.",
        f"Na {rng.randint(124, 152)}, Cr {rng.randint(6, 45) / 10:.1f} (baseline {rng.randint(6, 15) / 10:.1f}).",
        f"trop {rng.randint(1, 9) / 100:.2f} -> {rng.randint(1, 20) / 100:.2f}, EKG unchanged.",
        f"ABG {_pick(rng, '7.29/52/64/24', '7.44/36/88/25', '7.35/40/92/22')} on current settings.",
    )


def scores(rng: random.Random) -> str:
    e, v, m = rng.randint(1, 4), rng.randint(1, 5), rng.randint(1, 6)
    return _pick(
        rng,
        f"GCS {e + v + m} (E{e}V{v}M{m}).",
        f"GCS {e}/{v}/{m}, {_pick(rng, 'sedated', 'following commands', 'withdraws x4')}.",
        f"RASS {rng.choice(['0', '-1', '-2', '+1'])}, CAM-ICU {_pick(rng, 'neg', 'pos')}.",
        f"CPOT {rng.randint(0, 4)}/8.",
        f"Braden {rng.randint(9, 20)}, turning q2h.",
        f"NIHSS {rng.randint(0, 18)} this am.",
        f"APACHE II {rng.randint(8, 35)}.",
    )


def systems(rng: random.Random) -> str:
    return _pick(
        rng,
        "NEURO: A+OX3, MAE, PERRL 3MM BRISK.",
        "neuro: lethargic, arousable to voice, oriented x1.",
        "CV: SR, NO ECTOPY, PULSES +2 BILAT.",
        "RESP: LS COARSE, DIM BASES, SX Q2H.",
        "GI: ABD SOFT NT/ND, +BS, NO BM.",
        "GU: FOLEY TO GRAVITY, CLEAR YELLOW URINE.",
        "skin: stage 2 coccyx, duoderm intact.",
        "ID: tmax 100.4, on vanc/zosyn day 3, cx pending.",
        "ENDO: RISS, LANTUS 20 U QHS.",
        "IRR RHYTHM, AFIB WITH OCC PVC.",
        "OCC PVC'S, K AND MG REPLETED.",
        "MOM 30 CC PO GIVEN, NO BM YET.",
        "NPO after MN for procedure.",
        "OOB to chair x2, tolerated well.",
        "SOB with exertion, sats 88-90% when walking.",
        "Foley d/c'd, voided 300cc.",
        "FOLEY DRAINING CLEAR YELLOW URINE.",
        "MDS AWARE OF HYPERKALEMIA.",
        "hob > 30, vap bundle in place.",
        "SCDs on, heparin SQ for DVT ppx.",
        "pt MAY have clears this evening if no N/V.",
        "MAY RESUME TF AT 0600 PER MD.",
        "to WARD when bed available.",
        "d/c to rehab vs home with services.",
        "transferred from OSH for higher level of care.",
        "home health and VNA set up.",
        "LIMA to LAD patent.",
        "R ICA stenosis, vascular following.",
        "outside hospital CT reviewed, no bleed.",
        "plan to transfer to floor once off pressors.",
        "SOCIAL: retired fisherman, worked on the harbor x 30 yrs, 2 ppd smoker.",
        "Rose colored urine, CBI running.",
        "Gray matter changes on MRI, neuro aware.",
        "pt has Hope of going home soon, tearful at times.",
        "Mark site L arm, no BP or sticks.",
        "Bill for DME sent, case mgmt aware.",
        "Foley catheter 16 Fr, UO 40-60 cc/hr.",
        "Alzheimer type dementia, reorients easily.",
        "Apgar 8/9 per L&D record.",
        "Babinski neg, Kernig neg.",
        "Murphy sign positive, RUQ US ordered.",
        "Trendelenburg for line placement, tolerated.",
        "VEA: occ PVC, couplets x2.",
        "HYPERKALEMIA, K 6.1, KAYEXALATE 30 G PO.",
        "NPO, OOB, SOB all improved since admit.",
        "Case discussed at house staff rounds.",
    )


def history(rng: random.Random) -> str:
    return _pick(
        rng,
        "Hx Parkinson disease, sinemet on time.",
        "PMH: Crohn disease s/p colectomy, HTN, DM2.",
        "Alzheimer dementia, sundowning at night.",
        "s/p MVR and CABG x3, on coumadin.",
        "hx of Hodgkin lymphoma, s/p XRT.",
        "Graves disease, on methimazole.",
        "Bell palsy L, resolved.",
        "h/o Wolff-Parkinson-White s/p ablation.",
        "Guillain-Barre on IVIG day 2, NIF -30.",
        "PMH: CHF (EF 25%), CKD 3, COPD on 2L home O2.",
        "ESRD on HD MWF via L AVF, + thrill/bruit.",
        "Cushing syndrome vs steroid effect, endo aware.",
        "Barrett esophagus, on PPI.",
        "cirrhosis w/ varices s/p banding, MELD 22.",
    )


def neonatal(rng: random.Random) -> str:
    one, five = rng.randint(3, 9), rng.randint(6, 10)
    return _pick(
        rng,
        f"Apgar {one}/{five}, to NICU for {_pick(rng, 'TTN', 'r/o sepsis', 'prematurity', 'hypoglycemia')}.",
        f"Apgars {one} and {five} at 1 and 5 min.",
        f"GA {rng.randint(26, 40)} {rng.randint(0, 6)}/7 wks, BW {rng.randint(800, 4200)} g.",
        f"on CPAP {rng.choice([5, 6])}, FiO2 {rng.choice([21, 25, 30, 40])}%, no A/B's.",
        f"feeds: EBM {rng.randint(10, 60)} ml q3h PO/gavage, tolerating.",
        f"D10W at {rng.randint(3, 12)} ml/hr, D-stick {rng.randint(40, 90)}.",
        f"bili {rng.randint(5, 18)}.{rng.randint(0, 9)}, under phototherapy.",
    )


CLINICAL_LINES: tuple[Line, ...] = (pain, vitals, vent, drips, intake_output, labs, scores, systems, history)
