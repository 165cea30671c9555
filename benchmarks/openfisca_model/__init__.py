"""A small OpenFisca country package for benchmarks/bench_openfisca.py: one entity (a person),
15 input variables, 25 yes/no outputs of 4 to 8 conditions each, and dated parameters
(parameters/*.yaml, values that change on given days), written as OpenFisca's country
packages write them. The same 25 rules are written again in plain Python and in numpy in
`reference.py`; the benchmark checks that the three agree.

Needs openfisca-core: pip install -e ".[bench]"
"""

from __future__ import annotations

from pathlib import Path

from openfisca_core.entities import build_entity
from openfisca_core.model_api import YEAR, Variable, not_
from openfisca_core.taxbenefitsystems import TaxBenefitSystem

PARAMETERS = Path(__file__).parent / "parameters"

Person = build_entity(key="person", plural="persons", label="A person", is_person=True)

# name -> value type; each is given for the year evaluated
INPUTS = {
    "age": int, "income": float, "savings": float, "rent": float, "household_size": int, "children": int,
    "years_resident": int, "hours_worked": float, "is_citizen": bool, "is_permanent_resident": bool,
    "is_student": bool, "has_disability": bool, "is_veteran": bool, "is_employed": bool, "has_degree": bool,
}


def _input(name: str, kind: type) -> type:
    return type(name, (Variable,), {"value_type": kind, "entity": Person, "definition_period": YEAR,
                                    "label": name.replace("_", " ")})


def _output(function) -> type:
    """An output variable whose formula is `function(person, period, parameters)`."""
    return type(function.__name__, (Variable,), {"value_type": bool, "entity": Person, "definition_period": YEAR,
                                                 "label": function.__doc__, "formula": function})


def _limit(p, extra):
    """The income limit for a household of `extra` people more than one."""
    return p.income_limit + p.income_per_person * extra


def housing_aid(person, period, parameters):
    """Housing aid"""
    p = parameters(period)
    age, income, rent = person("age", period), person("income", period), person("rent", period)
    resident = person("is_citizen", period) + person("is_permanent_resident", period)
    return ((age >= p.adult_age) * (income <= _limit(p, person("household_size", period) - 1))
            * (rent * 12 > p.rent_share * income) * resident * (person("savings", period) <= p.savings_limit))


def child_benefit(person, period, parameters):
    """Child benefit"""
    p = parameters(period)
    children, size = person("children", period), person("household_size", period)
    resident = person("is_citizen", period) + person("is_permanent_resident", period)
    return ((children >= 1) * (size > children) * (person("income", period) <= _limit(p, size))
            * (person("years_resident", period) >= p.residence_years) * resident)


def student_grant(person, period, parameters):
    """Student grant"""
    p = parameters(period)
    age = person("age", period)
    not_working = not_(person("is_employed", period)) + (person("hours_worked", period) < p.work_hours)
    return (person("is_student", period) * (age < p.youth_age) * (age >= p.adult_age)
            * (person("income", period) <= p.income_limit) * (person("savings", period) <= p.savings_limit) * not_working)


def pension_top_up(person, period, parameters):
    """Pension top-up"""
    p = parameters(period)
    return ((person("age", period) >= p.pension_age) * (person("income", period) <= p.income_limit)
            * (person("savings", period) <= 2 * p.savings_limit)
            * (person("years_resident", period) >= 2 * p.residence_years) * not_(person("is_employed", period)))


def disability_support(person, period, parameters):
    """Disability support"""
    p = parameters(period)
    age = person("age", period)
    return (person("has_disability", period) * (age >= p.adult_age) * (age < p.pension_age)
            * (person("income", period) <= _limit(p, person("household_size", period) - 1))
            * (person("hours_worked", period) < p.work_hours))


def veteran_housing(person, period, parameters):
    """Veterans' housing"""
    p = parameters(period)
    income, rent = person("income", period), person("rent", period)
    return (person("is_veteran", period) * (rent > 0) * (rent * 12 > p.rent_share * income)
            * (income <= 2 * p.income_limit) * person("is_citizen", period))


def job_seeker(person, period, parameters):
    """Job seeker's allowance"""
    p = parameters(period)
    age = person("age", period)
    return (not_(person("is_employed", period)) * (age >= p.adult_age) * (age < p.pension_age)
            * not_(person("is_student", period)) * (person("years_resident", period) >= p.residence_years)
            * (person("savings", period) <= p.savings_limit))


def working_credit(person, period, parameters):
    """Working credit"""
    p = parameters(period)
    income = person("income", period)
    return (person("is_employed", period) * (person("hours_worked", period) >= p.work_hours)
            * (income >= p.earnings_floor) * (income <= _limit(p, person("children", period)))
            * (person("age", period) >= p.adult_age))


def large_family_grant(person, period, parameters):
    """Large family grant"""
    p = parameters(period)
    resident = person("is_citizen", period) + person("is_permanent_resident", period)
    return ((person("children", period) >= p.large_family)
            * (person("income", period) <= _limit(p, person("household_size", period)))
            * resident * (person("years_resident", period) >= p.residence_years)
            * (person("savings", period) <= 2 * p.savings_limit))


def training_voucher(person, period, parameters):
    """Training voucher"""
    p = parameters(period)
    age = person("age", period)
    return (not_(person("has_degree", period)) * (age >= p.adult_age) * (age < p.youth_age + 10)
            * not_(person("is_student", period)) * (person("income", period) <= p.income_limit)
            * (person("hours_worked", period) < 2 * p.work_hours))


def graduate_bonus(person, period, parameters):
    """Graduate bonus"""
    p = parameters(period)
    return (person("has_degree", period) * (person("age", period) < p.youth_age + 5) * person("is_employed", period)
            * (person("hours_worked", period) >= p.work_hours) * (person("income", period) <= 2 * p.income_limit))


def energy_rebate(person, period, parameters):
    """Energy rebate"""
    p = parameters(period)
    size = person("household_size", period)
    return ((size >= 2) * (person("income", period) <= _limit(p, size - 1))
            * ((person("rent", period) > 0) + (person("savings", period) <= p.savings_limit))
            * (person("age", period) >= p.adult_age) * (person("years_resident", period) >= 1))


def transport_pass(person, period, parameters):
    """Transport pass"""
    p = parameters(period)
    age = person("age", period)
    return ((person("is_student", period) + (age >= p.pension_age) + person("has_disability", period))
            * (person("income", period) <= p.income_limit) * (person("years_resident", period) >= 1) * (age >= 12))


def childcare_subsidy(person, period, parameters):
    """Childcare subsidy"""
    p = parameters(period)
    children, size, student = person("children", period), person("household_size", period), person("is_student", period)
    return ((children >= 1) * (person("is_employed", period) + student)
            * ((person("hours_worked", period) >= p.work_hours) + student)
            * (person("income", period) <= _limit(p, size)) * (size > children))


def citizen_dividend(person, period, parameters):
    """Citizen's dividend"""
    p = parameters(period)
    return (person("is_citizen", period) * (person("age", period) >= p.adult_age)
            * (person("years_resident", period) >= p.residence_years) * (person("income", period) <= 4 * p.income_limit))


def newcomer_support(person, period, parameters):
    """Newcomer support"""
    p = parameters(period)
    years = person("years_resident", period)
    return (not_(person("is_citizen", period)) * person("is_permanent_resident", period) * (years < p.residence_years)
            * (person("age", period) >= p.adult_age)
            * (person("income", period) <= _limit(p, person("household_size", period) - 1))
            * (person("savings", period) <= p.savings_limit))


def health_card(person, period, parameters):
    """Health card"""
    p = parameters(period)
    low = person("income", period) <= _limit(p, person("household_size", period) - 1)
    needs = low + person("has_disability", period) + (person("age", period) >= p.pension_age)
    settled = (person("is_citizen", period) + person("is_permanent_resident", period)
               + (person("years_resident", period) >= p.residence_years))
    return needs * settled * (person("savings", period) <= 3 * p.savings_limit) * not_(person("is_veteran", period))


def veteran_pension(person, period, parameters):
    """Veterans' pension"""
    p = parameters(period)
    return (person("is_veteran", period) * (person("age", period) >= p.pension_age - 5)
            * (person("years_resident", period) >= p.residence_years)
            * (person("income", period) <= 2 * p.income_limit) * (person("savings", period) <= 3 * p.savings_limit))


def apprentice_wage(person, period, parameters):
    """Apprentice wage"""
    p = parameters(period)
    age = person("age", period)
    return ((age >= 16) * (age < p.youth_age) * person("is_employed", period) * not_(person("has_degree", period))
            * (person("hours_worked", period) >= p.work_hours) * (person("income", period) < 3 * p.earnings_floor))


def rent_cap(person, period, parameters):
    """Rent cap"""
    p = parameters(period)
    income = person("income", period)
    return ((person("rent", period) * 12 > p.rent_share * income) * (person("household_size", period) >= 1)
            * (income <= 2 * p.income_limit) * (person("years_resident", period) >= 1)
            * (not_(person("has_degree", period)) + (person("children", period) >= 1)))


def any_housing_support(person, period, parameters):
    """Any housing support"""
    p = parameters(period)
    return ((person("housing_aid", period) + person("veteran_housing", period) + person("rent_cap", period))
            * (person("age", period) >= p.adult_age))


def family_package(person, period, parameters):
    """Family package"""
    p = parameters(period)
    return (person("child_benefit", period)
            * (person("childcare_subsidy", period) + person("large_family_grant", period))
            * (person("income", period) <= _limit(p, person("household_size", period)))
            * (person("years_resident", period) >= p.residence_years))


def low_income_household(person, period, parameters):
    """Low-income household"""
    p = parameters(period)
    size = person("household_size", period)
    return ((person("income", period) <= _limit(p, size - 1))
            * (person("savings", period) <= p.savings_limit) * not_(person("is_student", period)) * (size >= 1)
            * (person("rent", period) > 0))


def work_support(person, period, parameters):
    """Work support"""
    p = parameters(period)
    return ((person("job_seeker", period) + person("working_credit", period) + person("apprentice_wage", period))
            * not_(person("is_student", period)) * (person("age", period) < p.pension_age)
            * (person("years_resident", period) >= 1))


def priority_case(person, period, parameters):
    """Priority case"""
    p = parameters(period)
    return ((person("has_disability", period) + person("is_veteran", period) + (person("children", period) >= p.large_family))
            * person("low_income_household", period) * (person("age", period) >= p.adult_age)
            * (person("is_citizen", period) + person("is_permanent_resident", period)))


FORMULAS = (housing_aid, child_benefit, student_grant, pension_top_up, disability_support, veteran_housing, job_seeker,
            working_credit, large_family_grant, training_voucher, graduate_bonus, energy_rebate, transport_pass,
            childcare_subsidy, citizen_dividend, newcomer_support, health_card, veteran_pension, apprentice_wage,
            rent_cap, any_housing_support, family_package, low_income_household, work_support, priority_case)
OUTPUTS = tuple(f.__name__ for f in FORMULAS)


def tax_benefit_system() -> TaxBenefitSystem:
    system = TaxBenefitSystem([Person])
    system.add_variables(*[_input(name, kind) for name, kind in INPUTS.items()], *[_output(f) for f in FORMULAS])
    system.load_parameters(str(PARAMETERS))
    return system
