"""Filling in the referral form in the browser, shared by the referral journeys
(tests/browser and the production-configuration test)."""


def fill_referral_form(
    page,
    victim: tuple[str, str] = ("Zoë", "Smith-Jones"),
    perpetrator: tuple[str, str] = ("Mark", "Smith-Jones"),
    yes: int = 16,
) -> None:
    """A new victim's details, one perpetrator and the 24 DASH answers (the first `yes` of
    them yes), ready to send. The form must be open; person matching is left to the caller."""
    page.get_by_label("Given name", exact=True).fill(victim[0])
    page.get_by_label("Family name", exact=True).fill(victim[1])
    page.get_by_label("Date of birth (optional)", exact=True).fill("3/4/1990")
    page.locator("#id_gender").get_by_label("Female", exact=True).check()
    page.get_by_label("Ethnicity").select_option("white_british")
    page.locator("#id_lgbt").get_by_label("No", exact=True).check()
    page.locator("#id_disabled").get_by_label("Not known").check()
    page.get_by_label("Perpetrator's given name", exact=True).fill(perpetrator[0])
    page.get_by_label("Perpetrator's family name", exact=True).fill(perpetrator[1])
    page.locator("#id_p1_gender").get_by_label("Male", exact=True).check()
    page.get_by_label("Children in the household").fill("2")
    page.get_by_label("Police incidents in the last 12 months").fill("1")
    page.locator("#id_victim_informed").get_by_label("Yes", exact=True).check()
    page.locator("#id_victim_consented").get_by_label("Yes", exact=True).check()
    page.locator("#id_dash_source").get_by_label("The victim").check()
    for number in range(1, 25):
        answer = "Yes" if number <= yes else "No"
        page.locator(f"#id_q{number}").get_by_label(answer, exact=True).check()
    page.locator("#id_professional_judgement").get_by_label("No", exact=True).check()
