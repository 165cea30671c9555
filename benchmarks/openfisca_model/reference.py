"""The 25 rules of the OpenFisca model (`__init__.py`) again: in plain Python, one person at a
time, and in numpy, many people at once, over the same dated parameters (parameters/*.yaml,
read here without OpenFisca). benchmarks/bench_openfisca.py checks that the three agree.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import yaml

PARAMETERS = Path(__file__).parent / "parameters"


def parameters_on(day: date) -> SimpleNamespace:
    """Each parameter's value in force on `day`: the last one set on or before it."""
    found = {}
    for path in sorted(PARAMETERS.glob("*.yaml")):
        values = yaml.safe_load(path.read_text())["values"]
        dated = sorted((d if isinstance(d, date) else date.fromisoformat(str(d)), v["value"]) for d, v in values.items())
        found[path.stem] = [v for d, v in dated if d <= day][-1]
    return SimpleNamespace(**found)


def outputs_python(x: dict, p: SimpleNamespace) -> tuple[bool, ...]:
    """The 25 outputs for one person (`x`: the 15 inputs), in the model's order."""
    age, income, savings, rent = x["age"], x["income"], x["savings"], x["rent"]
    size, children, years, hours = x["household_size"], x["children"], x["years_resident"], x["hours_worked"]
    citizen, permanent, student = x["is_citizen"], x["is_permanent_resident"], x["is_student"]
    disabled, veteran, employed, degree = x["has_disability"], x["is_veteran"], x["is_employed"], x["has_degree"]
    limit, per = p.income_limit, p.income_per_person
    resident = citizen or permanent

    housing_aid = (age >= p.adult_age and income <= limit + per * (size - 1) and rent * 12 > p.rent_share * income
                   and resident and savings <= p.savings_limit)
    child_benefit = (children >= 1 and size > children and income <= limit + per * size
                     and years >= p.residence_years and resident)
    student_grant = (student and age < p.youth_age and age >= p.adult_age and income <= limit
                     and savings <= p.savings_limit and (not employed or hours < p.work_hours))
    pension_top_up = (age >= p.pension_age and income <= limit and savings <= 2 * p.savings_limit
                      and years >= 2 * p.residence_years and not employed)
    disability_support = (disabled and age >= p.adult_age and age < p.pension_age and income <= limit + per * (size - 1)
                          and hours < p.work_hours)
    veteran_housing = veteran and rent > 0 and rent * 12 > p.rent_share * income and income <= 2 * limit and citizen
    job_seeker = (not employed and age >= p.adult_age and age < p.pension_age and not student
                  and years >= p.residence_years and savings <= p.savings_limit)
    working_credit = (employed and hours >= p.work_hours and income >= p.earnings_floor
                      and income <= limit + per * children and age >= p.adult_age)
    large_family_grant = (children >= p.large_family and income <= limit + per * size and resident
                          and years >= p.residence_years and savings <= 2 * p.savings_limit)
    training_voucher = (not degree and age >= p.adult_age and age < p.youth_age + 10 and not student
                        and income <= limit and hours < 2 * p.work_hours)
    graduate_bonus = degree and age < p.youth_age + 5 and employed and hours >= p.work_hours and income <= 2 * limit
    energy_rebate = (size >= 2 and income <= limit + per * (size - 1) and (rent > 0 or savings <= p.savings_limit)
                     and age >= p.adult_age and years >= 1)
    transport_pass = (student or age >= p.pension_age or disabled) and income <= limit and years >= 1 and age >= 12
    childcare_subsidy = (children >= 1 and (employed or student) and (hours >= p.work_hours or student)
                         and income <= limit + per * size and size > children)
    citizen_dividend = citizen and age >= p.adult_age and years >= p.residence_years and income <= 4 * limit
    newcomer_support = (not citizen and permanent and years < p.residence_years and age >= p.adult_age
                        and income <= limit + per * (size - 1) and savings <= p.savings_limit)
    health_card = ((income <= limit + per * (size - 1) or disabled or age >= p.pension_age)
                   and (resident or years >= p.residence_years) and savings <= 3 * p.savings_limit and not veteran)
    veteran_pension = (veteran and age >= p.pension_age - 5 and years >= p.residence_years and income <= 2 * limit
                       and savings <= 3 * p.savings_limit)
    apprentice_wage = (age >= 16 and age < p.youth_age and employed and not degree and hours >= p.work_hours
                       and income < 3 * p.earnings_floor)
    rent_cap = (rent * 12 > p.rent_share * income and size >= 1 and income <= 2 * limit and years >= 1
                and (not degree or children >= 1))
    any_housing_support = (housing_aid or veteran_housing or rent_cap) and age >= p.adult_age
    family_package = (child_benefit and (childcare_subsidy or large_family_grant) and income <= limit + per * size
                      and years >= p.residence_years)
    low_income_household = (income <= limit + per * (size - 1) and savings <= p.savings_limit and not student
                            and size >= 1 and rent > 0)
    work_support = (job_seeker or working_credit or apprentice_wage) and not student and age < p.pension_age and years >= 1
    priority_case = ((disabled or veteran or children >= p.large_family) and low_income_household
                     and age >= p.adult_age and resident)
    return tuple(bool(v) for v in (
        housing_aid, child_benefit, student_grant, pension_top_up, disability_support, veteran_housing, job_seeker,
        working_credit, large_family_grant, training_voucher, graduate_bonus, energy_rebate, transport_pass,
        childcare_subsidy, citizen_dividend, newcomer_support, health_card, veteran_pension, apprentice_wage,
        rent_cap, any_housing_support, family_package, low_income_household, work_support, priority_case))


def outputs_numpy(x: dict[str, np.ndarray], p: SimpleNamespace) -> np.ndarray:
    """The 25 outputs for many people (`x`: a column per input), as a people x 25 boolean array."""
    age, income, savings, rent = x["age"], x["income"], x["savings"], x["rent"]
    size, children, years, hours = x["household_size"], x["children"], x["years_resident"], x["hours_worked"]
    citizen, permanent, student = x["is_citizen"], x["is_permanent_resident"], x["is_student"]
    disabled, veteran, employed, degree = x["has_disability"], x["is_veteran"], x["is_employed"], x["has_degree"]
    limit, per = p.income_limit, p.income_per_person
    resident = citizen | permanent
    adult = age >= p.adult_age
    below_pension = age < p.pension_age
    burden = rent * 12 > p.rent_share * income
    one_less = income <= limit + per * (size - 1)
    with_all = income <= limit + per * size
    settled = years >= p.residence_years

    housing_aid = adult & one_less & burden & resident & (savings <= p.savings_limit)
    child_benefit = (children >= 1) & (size > children) & with_all & settled & resident
    student_grant = (student & (age < p.youth_age) & adult & (income <= limit) & (savings <= p.savings_limit)
                     & (~employed | (hours < p.work_hours)))
    pension_top_up = ~below_pension & (income <= limit) & (savings <= 2 * p.savings_limit) & (years >= 2 * p.residence_years) & ~employed
    disability_support = disabled & adult & below_pension & one_less & (hours < p.work_hours)
    veteran_housing = veteran & (rent > 0) & burden & (income <= 2 * limit) & citizen
    job_seeker = ~employed & adult & below_pension & ~student & settled & (savings <= p.savings_limit)
    working_credit = (employed & (hours >= p.work_hours) & (income >= p.earnings_floor)
                      & (income <= limit + per * children) & adult)
    large_family_grant = (children >= p.large_family) & with_all & resident & settled & (savings <= 2 * p.savings_limit)
    training_voucher = (~degree & adult & (age < p.youth_age + 10) & ~student & (income <= limit)
                        & (hours < 2 * p.work_hours))
    graduate_bonus = degree & (age < p.youth_age + 5) & employed & (hours >= p.work_hours) & (income <= 2 * limit)
    energy_rebate = (size >= 2) & one_less & ((rent > 0) | (savings <= p.savings_limit)) & adult & (years >= 1)
    transport_pass = (student | ~below_pension | disabled) & (income <= limit) & (years >= 1) & (age >= 12)
    childcare_subsidy = ((children >= 1) & (employed | student) & ((hours >= p.work_hours) | student) & with_all
                         & (size > children))
    citizen_dividend = citizen & adult & settled & (income <= 4 * limit)
    newcomer_support = ~citizen & permanent & ~settled & adult & one_less & (savings <= p.savings_limit)
    health_card = ((one_less | disabled | ~below_pension) & (resident | settled) & (savings <= 3 * p.savings_limit)
                   & ~veteran)
    veteran_pension = (veteran & (age >= p.pension_age - 5) & settled & (income <= 2 * limit)
                       & (savings <= 3 * p.savings_limit))
    apprentice_wage = ((age >= 16) & (age < p.youth_age) & employed & ~degree & (hours >= p.work_hours)
                       & (income < 3 * p.earnings_floor))
    rent_cap = burden & (size >= 1) & (income <= 2 * limit) & (years >= 1) & (~degree | (children >= 1))
    any_housing_support = (housing_aid | veteran_housing | rent_cap) & adult
    family_package = child_benefit & (childcare_subsidy | large_family_grant) & with_all & settled
    low_income_household = one_less & (savings <= p.savings_limit) & ~student & (size >= 1) & (rent > 0)
    work_support = (job_seeker | working_credit | apprentice_wage) & ~student & below_pension & (years >= 1)
    priority_case = (disabled | veteran | (children >= p.large_family)) & low_income_household & adult & resident
    return np.stack([
        housing_aid, child_benefit, student_grant, pension_top_up, disability_support, veteran_housing, job_seeker,
        working_credit, large_family_grant, training_voucher, graduate_bonus, energy_rebate, transport_pass,
        childcare_subsidy, citizen_dividend, newcomer_support, health_card, veteran_pension, apprentice_wage,
        rent_cap, any_housing_support, family_package, low_income_household, work_support, priority_case], axis=1)
