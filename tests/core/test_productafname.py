from datetime import date

from portal.productafname import SoortBijdrage, bepaal_productafname, leeftijd_op

START = date(2022, 10, 1)


def afname(geboortedatum=date(1980, 5, 17), einde=None, soort="LEB", start=START):
    return bepaal_productafname(
        bw_startdatum=start, bw_einddatum=einde, geboortedatum=geboortedatum, soort_bijdrage_cak=soort
    )


def test_a_client_under_18_on_the_start_date_pays_no_eigen_bijdrage():
    uitkomst = afname(geboortedatum=date(2004, 10, 2))  # 18 one day after the start
    assert uitkomst.eigen_bijdrage_opgelegd == "N"
    assert uitkomst.reden_geen_eigen_bijdrage == "Cliënt is minderjarig"
    assert uitkomst.soort_bijdrage is None
    assert uitkomst.ingangsdatum_eigen_bijdrage is None


def test_a_client_who_turns_18_on_the_start_date_pays_an_eigen_bijdrage():
    assert afname(geboortedatum=date(2004, 10, 1)).eigen_bijdrage_opgelegd == "J"


def test_a_period_that_ends_on_its_start_date_is_too_short():
    uitkomst = afname(einde=START)
    assert uitkomst.eigen_bijdrage_opgelegd == "N"
    assert uitkomst.reden_geen_eigen_bijdrage == "Periode te kort"
    assert uitkomst.ingangsdatum_eigen_bijdrage is None


def test_being_a_minor_is_checked_before_the_length_of_the_period():
    uitkomst = afname(geboortedatum=date(2010, 1, 1), einde=START)
    assert uitkomst.reden_geen_eigen_bijdrage == "Cliënt is minderjarig"


def test_an_adult_gets_the_kind_of_bijdrage_of_the_cak_registration_from_the_start_date():
    uitkomst = afname(soort="LEB")
    assert uitkomst.eigen_bijdrage_opgelegd == "J"
    assert uitkomst.soort_bijdrage == SoortBijdrage.LEB
    assert uitkomst.reden_geen_eigen_bijdrage is None
    assert uitkomst.ingangsdatum_eigen_bijdrage == START


def test_an_unknown_kind_of_bijdrage_becomes_heb():
    assert afname(soort=None).soort_bijdrage == "HEB"
    assert afname(soort="").soort_bijdrage == "HEB"
    assert afname(soort="onbekend").soort_bijdrage == "HEB"


def test_a_period_with_an_end_date_after_the_start_gets_an_eigen_bijdrage():
    uitkomst = afname(einde=date(2022, 10, 2), soort="heb")
    assert (uitkomst.eigen_bijdrage_opgelegd, uitkomst.soort_bijdrage) == ("J", "HEB")


def test_an_unknown_birth_date_does_not_make_a_client_a_minor():
    assert afname(geboortedatum=None).eigen_bijdrage_opgelegd == "J"


def test_someone_born_on_29_february_turns_18_on_1_march_in_a_common_year():
    assert leeftijd_op(date(2004, 2, 29), date(2022, 2, 28)) == 17
    assert leeftijd_op(date(2004, 2, 29), date(2022, 3, 1)) == 18
