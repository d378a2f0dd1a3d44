"""The demo strategy's tables: two Safer Leeds plans, their priorities, measures and actions.

Modelled on the Safer Leeds strategy (nine priorities from November 2021) and its
successor. Agencies are those of partnership.demo; every person is invented; every
figure is generated (see strategy.demo) at a plausible Leeds scale, never real data.
The Police and Crime Plan objectives are the demo's own paraphrase.
"""

from dataclasses import dataclass
from datetime import date

from saferhub.strategy.models import Action, Measure
from saferhub.strategy.periods import PeriodType

SEED = 20211101  # the same demo every time

# -- the plans ---------------------------------------------------------------------------


@dataclass(frozen=True)
class PlanSpec:
    slug: str
    title: str
    ambition: str
    starts_on: date
    ends_on: date
    external_plan: str
    baseline_year: int  # the financial year (by its first year) targets improve on


AMBITION = (
    "Everyone in Leeds is safe and feels safe in their home, in the streets and in the "
    "places they go."
)
PAST = PlanSpec(
    "2021-24",
    "Safer Leeds Strategy 2021-24",
    AMBITION,
    date(2021, 11, 1),
    date(2024, 10, 31),
    "West Yorkshire Police and Crime Plan 2021-24 (demo paraphrase)",
    2020,
)
CURRENT = PlanSpec(
    "2024-27",
    "Safer Leeds Strategy 2024-27",
    AMBITION + " Partners work as one to keep people safe from harm.",
    date(2024, 11, 1),
    date(2027, 10, 31),
    "West Yorkshire Police and Crime Plan 2024-28 (demo paraphrase)",
    2023,
)
PLANS = [PAST, CURRENT]
EXTERNAL_PLAN_OWNER = "Mayor of West Yorkshire"

# The objectives, paraphrased for the demo; the same four codes in both plans.
OBJECTIVES = [
    ("PCP1", "Supporting victims and witnesses"),
    ("PCP2", "Keeping people safe and building resilience"),
    ("PCP3", "Safer places and thriving communities"),
    ("PCP4", "Responding to multiple and complex needs"),
]

# -- priorities --------------------------------------------------------------------------


@dataclass(frozen=True)
class PrioritySpec:
    number: int
    title: str
    summary: str
    lead_agency: str
    lead_officer: str  # a username in partnership.demo
    outcomes: tuple[str, ...]
    objectives: tuple[str, ...]


PRIORITIES = [
    PrioritySpec(
        1,
        "Domestic violence and abuse",
        "Reduce the harm domestic violence and abuse cause, support victims and their "
        "children, and hold perpetrators to account.",
        "lcc-cs",
        "lead.lcc-cs",
        (
            "Fewer repeat victims of domestic abuse",
            "Every high-risk victim has a safety plan within one working day",
            "More victims feel safer when support ends",
        ),
        ("PCP1", "PCP2"),
    ),
    PrioritySpec(
        2,
        "Drugs and alcohol",
        "Reduce the harm drugs and alcohol cause and the crime linked to them.",
        "lcc-ash",
        "lead.lcc-ash",
        (
            "More people in treatment and recovery",
            "Fewer alcohol-related hospital admissions",
            "More people leave the justice system for treatment",
        ),
        ("PCP4",),
    ),
    PrioritySpec(
        3,
        "Serious organised crime and exploitation",
        "Disrupt organised criminals and protect the children and adults they exploit.",
        "wyp",
        "police.lead",
        (
            "Organised crime groups disrupted",
            "Children at risk of exploitation identified early",
            "Criminal assets taken back",
        ),
        ("PCP2", "PCP4"),
    ),
    PrioritySpec(
        4,
        "Prevent and radicalisation",
        "Stop people being drawn into terrorism and support those at risk.",
        "lcc-cs",
        "admin",
        (
            "Frontline staff know how to spot and refer concerns",
            "Every secondary school has had Prevent training",
        ),
        ("PCP2",),
    ),
    PrioritySpec(
        5,
        "Rough sleeping and street support",
        "Nobody needs to sleep rough in Leeds; those who do are helped off the street quickly.",
        "housing-leeds",
        "lead.housing-leeds",
        (
            "Fewer people sleeping rough",
            "More moves from the street into a settled home",
            "Women fleeing abuse have somewhere safe to stay",
        ),
        ("PCP3", "PCP4"),
    ),
    PrioritySpec(
        6,
        "Violence against women and girls",
        "Women and girls are safe, and feel safe, at home, in public and online.",
        "lwa",
        "lead.lwa",
        (
            "Women feel safer in the city centre at night",
            "More sexual offences reach a charge",
            "Venues know how to help a woman who asks for Angela",
        ),
        ("PCP1", "PCP3"),
    ),
    PrioritySpec(
        7,
        "Anti-social behaviour",
        "Tackle anti-social behaviour quickly and support the people it affects.",
        "lcc-cs",
        "lead.lcc-cs",
        (
            "Fewer anti-social behaviour incidents",
            "Cases resolved faster",
            "People who report it are satisfied with how it was handled",
        ),
        ("PCP3",),
    ),
    PrioritySpec(
        8,
        "Hate crime",
        "More people report hate incidents, and victims get the support they need.",
        "wyp",
        "police.lead",
        (
            "More hate incidents reported through third-party centres",
            "Fewer repeat victims of hate crime",
        ),
        ("PCP1", "PCP3"),
    ),
    PrioritySpec(
        9,
        "Serious violence and reoffending",
        "Prevent serious violence, and reduce reoffending by people on probation.",
        "probation",
        "lead.probation",
        (
            "Fewer knife-enabled offences",
            "Fewer assault attendances at the emergency department",
            "Lower proven reoffending",
        ),
        ("PCP2", "PCP3"),
    ),
]

# The 2024-27 plan keeps the nine priorities, with these changes.
CURRENT_TITLES = {
    5: "Street support and rough sleeping",
    9: "Serious violence, knife crime and reoffending",
}
CURRENT_EXTRA_OUTCOMES = {
    6: ("Victims of stalking are protected by orders",),
    9: ("Everyone released from prison to Leeds has somewhere settled to live",),
}

# -- measures ----------------------------------------------------------------------------

U, D, P = Measure.Unit, Measure.Direction, PeriodType
UP, DOWN = D.UP, D.DOWN
MONTHLY, QUARTERLY, YEARLY = P.MONTHLY, P.QUARTERLY, P.YEARLY

# Seasonal factors for the quarters of a financial year (Apr-Jun, Jul-Sep, Oct-Dec, Jan-Mar).
FLAT = (1.0, 1.0, 1.0, 1.0)
SUMMER = (1.02, 1.08, 0.98, 0.92)  # violence, abuse and ASB peak in summer
SCHOOL = (1.05, 0.55, 1.2, 1.2)  # schools are closed for most of the summer quarter
NIGHTS = (0.92, 0.96, 1.14, 0.98)  # dark evenings and the Christmas season


@dataclass(frozen=True)
class MeasureSpec:
    code: str
    priority: int
    name: str
    definition: str
    unit: str
    direction: str
    period_type: str
    agency: str
    level: float  # the value of one period at April 2021 (or a share, with share_of)
    trend: float  # change a year, as a fraction of the value
    noise: float = 0.05
    season: tuple[float, ...] = FLAT
    headline: bool = False
    share_of: str = ""  # the value is this share of another measure's value
    formula: tuple[str, str, int] | None = None  # numerator, denominator, factor
    derived_key: str = ""
    aim: float | None = None  # the targets' improvement a year; default 3% the right way
    tolerance: int = 5
    only: str = ""  # the slug of the one plan that has the measure
    targets: bool = True


M = MeasureSpec
MEASURES = [
    # 1 Domestic violence and abuse
    M("da-incidents", 1, "Domestic abuse incidents and crimes recorded by the police",
      "Incidents and crimes flagged as domestic abuse by West Yorkshire Police in Leeds.",
      U.COUNT, DOWN, QUARTERLY, "wyp", 4900, 0.01, 0.03, SUMMER),
    M("da-repeat-incidents", 1, "Repeat domestic abuse incidents",
      "Incidents where the victim had another domestic abuse incident in the previous "
      "12 months.",
      U.COUNT, DOWN, QUARTERLY, "wyp", 0.39, -0.03, 0.02, share_of="da-incidents"),
    M("da-repeat-rate", 1, "Repeat domestic abuse incidents as a share of all incidents",
      "Repeat incidents divided by all domestic abuse incidents, times 100.",
      U.PERCENTAGE, DOWN, QUARTERLY, "lcc-cs", 39, -0.03, headline=True,
      formula=("da-repeat-incidents", "da-incidents", 100)),
    M("daily-meeting-cases", 1, "High-risk cases reviewed at the daily safeguarding meeting",
      "Cases reviewed at the Front Door Safeguarding Hub's weekday meeting.",
      U.COUNT, UP, QUARTERLY, "lcc-cs", 800, 0.04, 0.04, headline=True),
    M("marac-cases", 1, "Cases heard at MARAC",
      "High-risk domestic abuse cases heard at the multi-agency risk assessment conference.",
      U.COUNT, UP, QUARTERLY, "lcc-cs", 420, 0.02, 0.05),
    M("idva-safer", 1, "IDVA clients who feel safer when their case closes",
      "Share of clients closed in the quarter who said they felt safer.",
      U.PERCENTAGE, UP, QUARTERLY, "ldvs", 79, 0.01, 0.02),
    M("idva-contact-days", 1, "Days from referral to first IDVA contact",
      "Average working days from referral to the IDVA's first contact with the victim.",
      U.DAYS, DOWN, QUARTERLY, "ldvs", 3.8, -0.06, 0.08),
    M("iris-practices", 1, "GP practices trained in the IRIS programme",
      "Share of Leeds GP practices with IRIS domestic abuse training and a named advocate.",
      U.PERCENTAGE, UP, YEARLY, "wy-icb", 48, 0.12, 0.02),
    # 2 Drugs and alcohol
    M("treatment-adults", 2, "Adults in drug and alcohol treatment",
      "Adults in structured treatment with Forward Leeds at the end of the quarter.",
      U.COUNT, UP, QUARTERLY, "forward-leeds", 4550, 0.03, 0.015, headline=True),
    M("opiate-completions", 2, "Opiate users completing treatment successfully",
      "Share of opiate users in treatment who completed it and did not return in six months.",
      U.PERCENTAGE, UP, QUARTERLY, "forward-leeds", 5.2, 0.04, 0.06),
    M("cj-referrals", 2, "Referrals into treatment from the criminal justice system",
      "Referrals from custody suites, courts and probation.",
      U.COUNT, UP, QUARTERLY, "forward-leeds", 250, 0.05, 0.06),
    M("treatment-wait-days", 2, "Days from referral to starting treatment",
      "Average days from referral to the first treatment appointment.",
      U.DAYS, DOWN, MONTHLY, "forward-leeds", 9.5, -0.05, 0.08),
    M("naloxone-kits", 2, "Naloxone kits given out",
      "Kits supplied through the community pharmacy and outreach scheme.",
      U.COUNT, UP, QUARTERLY, "lcc-ash", 480, 0.06, 0.07),
    M("alcohol-admissions", 2, "Alcohol-specific hospital admissions",
      "Admissions of Leeds residents where alcohol was the main cause.",
      U.COUNT, DOWN, YEARLY, "ltht", 4950, -0.01, 0.02),
    M("population", 2, "Leeds resident population",
      "ONS mid-year population estimate for Leeds, used to calculate rates.",
      U.COUNT, UP, YEARLY, "lcc-ash", 806000, 0.006, 0.0, targets=False),
    M("alcohol-admission-rate", 2, "Alcohol-specific hospital admissions per 1,000 residents",
      "Alcohol-specific admissions divided by the resident population, times 1,000.",
      U.RATE_PER_1000, DOWN, YEARLY, "lcc-ash", 6.14, -0.016, headline=True,
      formula=("alcohol-admissions", "population", 1000)),
    # 3 Serious organised crime and exploitation
    M("ocg-disruptions", 3, "Organised crime group disruptions",
      "Disruptions of organised crime groups recorded by West Yorkshire Police in Leeds.",
      U.COUNT, UP, QUARTERLY, "wyp", 42, 0.05, 0.12, headline=True, tolerance=10),
    M("poca-confiscated", 3, "Criminal assets confiscated",
      "Value of confiscation orders under the Proceeds of Crime Act 2002.",
      U.MONEY, UP, QUARTERLY, "wyp", 410000, 0.02, 0.25, tolerance=10),
    M("exploitation-plans", 3, "Children at risk of exploitation with a multi-agency plan",
      "Children with a plan from the child exploitation hub at the end of the quarter.",
      U.COUNT, UP, QUARTERLY, "lcc-csc", 135, 0.04, 0.06),
    # 4 Prevent and radicalisation
    M("prevent-trained", 4, "People trained in Prevent awareness",
      "Staff and volunteers who completed Prevent awareness training.",
      U.COUNT, UP, QUARTERLY, "lcc-cs", 850, 0.04, 0.1, headline=True, tolerance=10),
    M("prevent-school-sessions", 4, "Prevent sessions delivered in schools",
      "Sessions delivered to pupils or staff in Leeds schools and colleges.",
      U.COUNT, UP, QUARTERLY, "lcc-cs", 42, 0.03, 0.1, SCHOOL),
    # 5 Rough sleeping and street support
    M("rough-sleepers", 5, "People sleeping rough on a single night",
      "People seen bedded down on the night of the monthly street count.",
      U.COUNT, DOWN, MONTHLY, "housing-leeds", 31, -0.04, 0.15, headline=True, tolerance=10),
    M("navigator-tenancies", 5, "Moves from the street into a tenancy with a Navigator",
      "People supported from rough sleeping into their own tenancy by a Navigator.",
      U.COUNT, UP, QUARTERLY, "housing-leeds", 36, 0.05, 0.15, tolerance=10),
    M("safe-stay-women", 5, "Women given a place at Somewhere Safe to Stay",
      "Women fleeing domestic abuse given a place at the hub.",
      U.COUNT, UP, QUARTERLY, "lwa", 52, 0.03, 0.12),
    M("ta-days", 5, "Days in temporary accommodation",
      "Average days households leaving temporary accommodation in the quarter spent there.",
      U.DAYS, DOWN, QUARTERLY, "housing-leeds", 92, 0.03, 0.04),
    # 6 Violence against women and girls
    M("night-bus-journeys", 6, "Journeys on the women's night safe bus",
      "Passenger journeys on the city centre night safe bus.",
      U.COUNT, UP, QUARTERLY, "lcc-cs", 1900, 0.06, 0.08, NIGHTS, headline=True),
    M("ask-angela-venues", 6, "Venues with staff trained in Ask for Angela",
      "Licensed venues whose staff completed the training in the quarter.",
      U.COUNT, UP, QUARTERLY, "lcc-cs", 38, 0.04, 0.15, tolerance=10),
    M("sexual-offence-charge-rate", 6, "Sexual offences resulting in a charge or summons",
      "Share of sexual offence investigations closed in the quarter with a charge or summons.",
      U.PERCENTAGE, UP, QUARTERLY, "wyp", 5.8, 0.05, 0.08),
    M("stalking-orders", 6, "Stalking Protection Orders obtained",
      "Orders granted by the courts on the police's application.",
      U.COUNT, UP, QUARTERLY, "wyp", 6, 0.15, 0.3, tolerance=10, only="2024-27"),
    # 7 Anti-social behaviour
    M("asb-incidents", 7, "Anti-social behaviour incidents reported to the police",
      "ASB incidents recorded by West Yorkshire Police in Leeds in the month.",
      U.COUNT, DOWN, MONTHLY, "wyp", 2150, -0.04, 0.05, SUMMER, headline=True),
    M("asb-resolved-90", 7, "ASB cases resolved within 90 days",
      "Share of Leeds Anti-social Behaviour Team cases closed within 90 days of opening.",
      U.PERCENTAGE, UP, QUARTERLY, "lcc-cs", 71, 0.01, 0.03),
    M("asb-close-days", 7, "Days to close an ASB case",
      "Average days from opening to closing a Leeds Anti-social Behaviour Team case.",
      U.DAYS, DOWN, QUARTERLY, "lcc-cs", 64, -0.02, 0.05),
    M("asb-satisfaction", 7, "Tenants satisfied with how their ASB report was handled",
      "Share of Housing Leeds tenants surveyed after their case closed who were satisfied.",
      U.PERCENTAGE, UP, QUARTERLY, "housing-leeds", 63, 0.02, 0.04, only="2021-24"),
    # 8 Hate crime
    M("hate-crimes", 8, "Hate crimes recorded by the police",
      "Crimes flagged as motivated by hostility to a protected characteristic.",
      U.COUNT, DOWN, QUARTERLY, "wyp", 920, 0.02, 0.05, headline=True),
    M("hate-third-party", 8, "Hate incidents reported through third-party centres",
      "Reports made at the partnership's third-party hate reporting centres.",
      U.COUNT, UP, QUARTERLY, "lcc-cs", 105, 0.05, 0.12, tolerance=10),
    M("hate-repeat-victims", 8, "Hate crime victims who are repeat victims",
      "Share of hate crime victims in the quarter with another hate crime in 12 months.",
      U.PERCENTAGE, DOWN, QUARTERLY, "wyp", 14.5, -0.02, 0.05),
    # 9 Serious violence and reoffending
    M("violence-injury", 9, "Violence with injury offences",
      "Violence with injury offences recorded by West Yorkshire Police in Leeds.",
      U.COUNT, DOWN, QUARTERLY, "wyp", 2350, -0.02, 0.04, SUMMER),
    M("knife-crime", 9, "Knife-enabled offences",
      "Offences in which a knife or sharp instrument was used or threatened.",
      U.COUNT, DOWN, QUARTERLY, "wyp", 205, -0.05, 0.08, headline=True),
    M("ed-assaults", 9, "Emergency department attendances for assault",
      "Attendances at Leeds emergency departments for assault, shared under the Cardiff model.",
      U.COUNT, DOWN, MONTHLY, "ltht", 270, -0.03, 0.07, SUMMER),
    M("reoffending-rate", 9, "Proven reoffending by adults on probation",
      "Share of adults starting probation in the year who were proven to reoffend.",
      U.PERCENTAGE, DOWN, YEARLY, "probation", 27.5, -0.015, 0.02),
    M("release-accommodation", 9, "People released from prison into settled accommodation",
      "Share of people released to Leeds who had settled accommodation on the first night.",
      U.PERCENTAGE, UP, QUARTERLY, "probation", 78, 0.01, 0.03),
    M("vrp-funding", 9, "Violence Reduction Partnership funding spent in Leeds",
      "Money spent on violence reduction projects in Leeds in the financial year.",
      U.MONEY, UP, YEARLY, "wyca", 1150000, 0.04, 0.03),
    M("actions-overdue", 9, "Partnership actions overdue at the end of the quarter",
      "Actions of every priority past their due date and not done on the quarter's last day.",
      U.COUNT, DOWN, QUARTERLY, "lcc-cs", 4, 0.0, aim=0.0,
      derived_key="strategy.actions_overdue"),
]  # fmt: skip

# -- returns: what happened to the figures ------------------------------------------------

# The last complete quarter of the current plan: one return of each kind, so the analyst,
# the agency leads and the board each have real work. Agencies not named were approved.
LATEST = {
    "wyp": "returned",
    "housing-leeds": "draft",
    "lcc-ash": "draft",
    "lwa": "missing",
    "probation": "missing",
    "forward-leeds": "submitted",
    "ldvs": "submitted",
    "lcc-csc": "submitted",
}
# The quarter before it: a persistent gap, and a return that came in late.
PREVIOUS = {"lwa": "missing", "probation": "late"}
# Gaps in the past plan that were never filled: (agency, quarter).
PAST_GAPS = {("lwa", "2022/23-Q3"), ("housing-leeds", "2023/24-Q1"), ("lcc-csc", "2021/22-Q4")}
# Returns approved, then reopened and corrected: (agency, quarter).
CORRECTED = {("wyp", "2022/23-Q2"), ("forward-leeds", "2025/26-Q1")}

SEND_BACK_REASONS = [
    "The figures for the last month leave out Otley and Wetherby: please add them and resubmit.",
    "This is well above last quarter's figure: please check it against the case system, or "
    "explain it in a comment.",
    "The count looks to include cases opened before the quarter began: please re-run the "
    "report for the quarter's dates.",
]
RETURNED_NOW = (
    "The repeat incidents figure was run from the old extract: please re-run the repeat "
    "victim query for the quarter and resubmit."
)
CORRECTION_COMMENT = "Corrected after a data quality check."

# -- actions -----------------------------------------------------------------------------

S = Action.Status


@dataclass(frozen=True)
class ActionSpec:
    priority: int
    agency: str  # owned by the agency's lead
    title: str
    due_on: date
    status: str
    completed_on: date | None = None
    note: str = ""  # the latest progress update; a generic one is used when blank


def A(*args, **kwargs) -> ActionSpec:
    return ActionSpec(*args, **kwargs)


PAST_ACTIONS = [
    A(1, "lcc-cs", "Set up the daily safeguarding meeting at the Front Door Safeguarding Hub",
      date(2022, 3, 31), S.DONE, date(2022, 3, 14)),
    A(1, "lcc-cs", "Publish the domestic abuse safe accommodation strategy",
      date(2022, 1, 5), S.DONE, date(2021, 12, 20)),
    A(2, "forward-leeds", "Place the criminal justice team in Leeds custody suites",
      date(2022, 8, 31), S.DONE, date(2022, 11, 4)),
    A(2, "lcc-ash", "Run a naloxone awareness campaign with pharmacies",
      date(2023, 3, 31), S.DONE, date(2023, 3, 10)),
    A(3, "wyp", "Set up a Leeds serious organised crime partnership board",
      date(2022, 6, 30), S.DONE, date(2022, 5, 19)),
    A(3, "lcc-csc", "Train hotel staff in the signs of child sexual exploitation",
      date(2023, 5, 31), S.DONE, date(2023, 8, 2)),
    A(4, "lcc-cs", "Deliver Prevent training sessions for schools",
      date(2023, 3, 31), S.DONE, date(2023, 3, 24)),
    A(4, "lcc-cs", "Complete the Prevent duty self-assessment",
      date(2022, 11, 30), S.DONE, date(2023, 2, 10)),
    A(5, "housing-leeds", "Create supported housing pathways from the street",
      date(2022, 12, 31), S.DONE, date(2022, 12, 2)),
    A(5, "lwa", "Open the Somewhere Safe to Stay hub for women fleeing abuse",
      date(2023, 9, 30), S.DONE, date(2023, 9, 18)),
    A(6, "lcc-cs", "Launch the women's night safe bus",
      date(2022, 12, 31), S.DONE, date(2022, 12, 9)),
    A(6, "lcc-cs", "Roll out Ask for Angela to city centre venues",
      date(2022, 8, 31), S.DONE, date(2022, 10, 21)),
    A(7, "wyp", "Hold neighbourhood ASB surgeries in every ward",
      date(2023, 11, 30), S.DONE, date(2024, 2, 16)),
    A(7, "housing-leeds", "Agree ASB information sharing with housing associations",
      date(2022, 6, 30), S.DONE, date(2022, 6, 28)),
    A(8, "lcc-cs", "Refresh the hate crime strategy with community groups",
      date(2022, 10, 31), S.DONE, date(2022, 10, 20)),
    A(8, "wyp", "Publish hate crime figures by ward each quarter",
      date(2023, 6, 30), S.DONE, date(2023, 6, 12)),
    A(9, "probation", "Prepare the partnership for the Serious Violence Duty",
      date(2023, 1, 31), S.DONE, date(2023, 1, 27)),
    A(9, "ltht", "Start sharing emergency department assault data (Cardiff model)",
      date(2024, 3, 31), S.DONE, date(2024, 7, 5)),
]  # fmt: skip

CURRENT_ACTIONS = [
    A(1, "lcc-cs", "Extend the daily safeguarding meeting to weekend incidents",
      date(2025, 9, 30), S.DONE, date(2025, 9, 12),
      "Weekend reviews began on 6 September; partners have staffed every rota since."),
    A(1, "ldvs", "Recruit four more IDVAs for the Front Door Safeguarding Hub",
      date(2026, 6, 30), S.AT_RISK, None,
      "Two of the four posts are filled; the others are re-advertised after no appointable "
      "candidates."),
    A(1, "wy-icb", "Roll out IRIS training to the remaining GP practices in east Leeds",
      date(2027, 3, 31), S.ON_TRACK, None,
      "18 of 27 practices trained; the rest are booked for January to March."),
    A(1, "wyp", "Audit the quality of DASH risk assessments in the Domestic Abuse Team",
      date(2026, 10, 31), S.ON_TRACK, None,
      "Audit sample drawn; findings delayed by the autumn operation."),
    A(2, "forward-leeds", "Open a second treatment hub in south Leeds",
      date(2025, 12, 31), S.DONE, date(2026, 1, 20), "The Beeston hub opened on 20 January."),
    A(2, "lcc-ash", "Recommission naloxone supply through community pharmacies",
      date(2026, 9, 30), S.DONE, date(2026, 8, 28),
      "New contract started with 64 pharmacies signed up."),
    A(2, "probation", "Place a drug treatment worker in each probation office",
      date(2027, 3, 31), S.ON_TRACK, None,
      "Workers in place in two of three offices; the third starts in February."),
    A(2, "ltht", "Screen for alcohol harm on every acute medical ward",
      date(2026, 7, 31), S.AT_RISK, None,
      "Screening is live on three of five wards; the others wait for two nurse posts."),
    A(3, "wyp", "Map county lines into Leeds with neighbouring forces",
      date(2025, 6, 30), S.DONE, date(2025, 6, 18), "Map shared with all five districts."),
    A(3, "lcc-csc", "Start multi-agency triage at the child exploitation hub",
      date(2026, 3, 31), S.DONE, date(2026, 3, 2), "Daily triage began on 2 March."),
    A(3, "housing-leeds", "Agree a cuckooing protocol for Housing Leeds tenancies",
      date(2026, 9, 30), S.AT_RISK, None, "Draft is with legal services for sign-off."),
    A(3, "wyp", "Train hotel and taxi staff to spot exploitation",
      date(2027, 6, 30), S.ON_TRACK, None, "Materials agreed with the licensing team."),
    A(4, "lcc-cs", "Deliver Prevent awareness sessions to every secondary school",
      date(2026, 7, 31), S.DONE, date(2026, 7, 17), "All 41 secondary schools reached."),
    A(4, "lcc-cs", "Refresh the Prevent partnership risk assessment",
      date(2026, 12, 31), S.ON_TRACK, None, "Partner workshops held; draft due in December."),
    A(4, "lcc-csc", "Train early help teams in online radicalisation risks",
      date(2026, 5, 31), S.ON_TRACK, None,
      "Four of six teams trained; the last two sessions are being rebooked."),
    A(4, "wyca", "Publish a Prevent training offer for small voluntary groups",
      date(2027, 1, 31), S.NOT_STARTED),
    A(5, "housing-leeds", "Run the Navigator service in the city centre in the evenings",
      date(2025, 10, 31), S.DONE, date(2025, 10, 3), "Evening shifts started on 3 October."),
    A(5, "lwa", "Add four beds to the Somewhere Safe to Stay hub",
      date(2026, 4, 30), S.DONE, date(2026, 6, 15),
      "Beds open after the building work overran by six weeks."),
    A(5, "lcc-ash", "Fund mental health in-reach at the street support hub",
      date(2026, 8, 31), S.AT_RISK, None,
      "Funding agreed; the provider cannot start until a clinician is recruited."),
    A(5, "housing-leeds", "Cut average stays in temporary accommodation below 80 days",
      date(2027, 9, 30), S.AT_RISK, None,
      "Stays are lengthening with the shortage of family-sized homes."),
    A(6, "lcc-cs", "Run the women's night safe bus every Friday and Saturday",
      date(2025, 4, 30), S.DONE, date(2025, 4, 26), "Running every weekend since April."),
    A(6, "lcc-cs", "Sign up 60 licensed venues to Ask for Angela",
      date(2026, 12, 31), S.ON_TRACK, None, "52 venues signed up."),
    A(6, "wyp", "Review how rape investigations keep victims informed",
      date(2026, 9, 30), S.AT_RISK, None,
      "Review fieldwork done; the report waits for the victims' panel in December."),
    A(6, "lwa", "Open a night-time drop-in for women in the city centre",
      date(2027, 3, 31), S.ON_TRACK, None, "Premises found; volunteers in training."),
    A(7, "lcc-cs", "Bring in one ASB case review process with Housing Leeds",
      date(2025, 7, 31), S.DONE, date(2025, 7, 29), "Joint process in use since July."),
    A(7, "housing-leeds", "Publish ASB service standards for tenants",
      date(2026, 2, 28), S.DONE, date(2026, 3, 20), "Published after tenant consultation."),
    A(7, "wyp", "Target patrols at the five wards with most ASB",
      date(2026, 11, 30), S.ON_TRACK, None, "Patrol plan running in all five wards."),
    A(7, "lcc-cs", "Move ASB case reporting to live dashboards",
      date(2026, 10, 31), S.NOT_STARTED, None,
      "Not started: waiting for the case system's upgrade."),
    A(8, "wyp", "Open ten more third-party hate reporting centres",
      date(2026, 3, 31), S.DONE, date(2026, 3, 27), "Ten centres open, four in faith venues."),
    A(8, "lcc-cs", "Run a hate crime awareness week with schools",
      date(2025, 10, 31), S.DONE, date(2025, 10, 24), "Thirty schools took part."),
    A(8, "wyp", "Call back every hate crime victim within 48 hours",
      date(2027, 3, 31), S.AT_RISK, None, "78% called back within 48 hours in October."),
    A(8, "lcc-csc", "Add hate incidents to the schools' safeguarding returns",
      date(2026, 12, 31), S.ON_TRACK, None, "New return form tested with five schools."),
    A(9, "probation", "Publish the serious violence strategic needs assessment",
      date(2025, 1, 31), S.DONE, date(2025, 1, 28), "Published and presented to the board."),
    A(9, "ltht", "Extend assault data sharing to St James's Hospital",
      date(2025, 9, 30), S.DONE, date(2025, 11, 14), "Monthly extract now covers both sites."),
    A(9, "probation", "Find settled accommodation for everyone released to Leeds",
      date(2027, 3, 31), S.ON_TRACK, None, "81% housed on the first night in the last quarter."),
    A(9, "wyca", "Fund detached youth work in the three wards with most knife crime",
      date(2026, 6, 30), S.AT_RISK, None,
      "Grant awarded in two wards; the third is being re-tendered."),
]  # fmt: skip

STARTED_NOTE = "Work has started: the lead is named and the plan is agreed with partners."
DONE_NOTE = "Done."
