"""Model registry: versions, the ``challenger``/``champion`` aliases, and the promotion rule.

Promotion rule ("beats"), applied to metrics tables computed on the *same* recent held-out
window (same targets, horizons and number of scored days):

* per target, take the mean MAE over horizons 1–7 of the candidate and of the reference, and
  their ratio ``r_t = MAE_candidate / MAE_reference`` (unit-free, so °C and µg/m³ weigh alike);
* the candidate beats the reference when the mean of ``r_t`` over the four targets is below
  ``1 - min_improvement`` (default: strictly below 1) **and** no ``r_t`` exceeds
  ``1 + max_target_regression`` (default 1.02: no target more than 2% worse);
* the candidate's mean 80%-interval coverage must lie in ``[min_coverage, max_coverage]``
  (default 0.70–0.90), so sharp but overconfident intervals cannot win.

``champion`` moves to the candidate only if it beats every baseline and the current champion.

**The first champion.** With no champion yet, refusing a candidate means serving no forecast
at all, while a model that ties the best baseline is still worth serving. So the first version
must beat the naive baselines (persistence, climatology) outright and may tie the others within
the rule's tolerance (every target ratio at most ``1 + max_target_regression``, the mean ratio at
most ``1 - min_improvement + max_target_regression``); the decision says so ("first champion").
From then on a new version must beat the champion and every baseline.

Either way the candidate gets alias ``challenger`` and model-version tags ``promotion.decision``
(``promoted``/``rejected``), ``promotion.reason`` and ``promotion.details`` (JSON), and the
decision is returned as a :class:`PromotionDecision`.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field

import mlflow
import numpy as np
import pandas as pd
from mlflow.exceptions import MlflowException
from mlflow.tracking import MlflowClient

from seoulcast_assets.ml.evaluation.metrics import mean_mae_by_target
from seoulcast_assets.ml.inputs.variables import HORIZONS, TARGETS

CHAMPION = "champion"
CHALLENGER = "challenger"
DEFAULT_MODEL_NAME = "seoulcast-lstm"
BASELINE_MODELS: tuple[str, ...] = ("persistence", "climatology", "linear")
NAIVE_BASELINES: tuple[str, ...] = ("persistence", "climatology")


@dataclass(frozen=True)
class PromotionRule:
    min_improvement: float = 0.0
    max_target_regression: float = 0.02
    min_coverage: float = 0.70
    max_coverage: float = 0.90


@dataclass(frozen=True)
class Comparison:
    reference: str
    beaten: bool
    mean_ratio: float
    ratio_by_target: dict[str, float]
    reasons: list[str]


@dataclass(frozen=True)
class PromotionDecision:
    model_name: str
    candidate_version: str
    promoted: bool
    previous_champion: str | None
    reasons: list[str]
    comparisons: list[Comparison] = field(default_factory=list)
    rule: PromotionRule = field(default_factory=PromotionRule)
    candidate_coverage80: float | None = None

    def to_dict(self) -> dict:
        return asdict(self)

    @property
    def summary(self) -> str:
        verdict = "promoted to champion" if self.promoted else "not promoted"
        return f"version {self.candidate_version} {verdict}: " + "; ".join(self.reasons)


def register_version(model_uri: str, name: str = DEFAULT_MODEL_NAME, tags=None) -> str:
    """Register ``model_uri`` (e.g. ``ModelInfo.model_uri``) as a new version; returns it."""
    version = mlflow.register_model(model_uri, name, tags=dict(tags or {}))
    return str(version.version)


def set_challenger(name: str, version: str, client: MlflowClient | None = None) -> None:
    (client or MlflowClient()).set_registered_model_alias(name, CHALLENGER, str(version))


def alias_version(name: str, alias: str, client: MlflowClient | None = None) -> str | None:
    """The version behind ``alias``, or None when the alias is not set."""
    try:
        return str((client or MlflowClient()).get_model_version_by_alias(name, alias).version)
    except MlflowException:
        return None


def _check_same_window(candidate: pd.DataFrame, reference: pd.DataFrame) -> list[str]:
    keys = ["target", "horizon"]
    a = candidate.set_index(keys)["n"].sort_index()
    b = reference.set_index(keys)["n"].sort_index()
    expected = pd.MultiIndex.from_product([list(TARGETS), list(HORIZONS)], names=keys)
    problems = []
    if not a.index.equals(expected.sort_values()) or not b.index.equals(expected.sort_values()):
        problems.append("metrics do not cover every target and horizon")
    elif not a.equals(b):
        problems.append("scores come from different windows (row counts differ)")
    return problems


def compare(
    candidate: pd.DataFrame, reference: pd.DataFrame, reference_name: str, rule: PromotionRule
) -> Comparison:
    """Does the candidate beat one reference on the rule's terms (see the module docstring)?"""
    problems = _check_same_window(candidate, reference)
    if problems:
        return Comparison(reference_name, False, float("nan"), {}, problems)
    ratio = mean_mae_by_target(candidate.assign(model="x"), "x") / mean_mae_by_target(
        reference.assign(model="x"), "x"
    )
    mean_ratio = float(ratio.mean())
    reasons = []
    if not mean_ratio < 1.0 - rule.min_improvement:
        reasons.append(
            f"mean MAE ratio vs {reference_name} is {mean_ratio:.3f} "
            f"(needs < {1.0 - rule.min_improvement:.3f})"
        )
    worst = ratio.idxmax()
    if ratio[worst] > 1.0 + rule.max_target_regression:
        reasons.append(
            f"{worst} MAE is {100 * (ratio[worst] - 1):.1f}% worse than "
            f"{reference_name} (allowed {100 * rule.max_target_regression:.0f}%)"
        )
    return Comparison(
        reference=reference_name,
        beaten=not reasons,
        mean_ratio=mean_ratio,
        ratio_by_target={k: float(v) for k, v in ratio.items()},
        reasons=reasons,
    )


def evaluate_promotion(
    holdout_metrics: pd.DataFrame,
    champion_metrics: pd.DataFrame | None = None,
    candidate_model: str = "lstm",
    rule: PromotionRule | None = None,
) -> tuple[bool, list[str], list[Comparison], float | None]:
    """Pure decision: promote or not, with reasons. No MLflow calls."""
    rule = rule or PromotionRule()
    candidate = holdout_metrics[holdout_metrics["model"] == candidate_model]
    references = {
        name: holdout_metrics[holdout_metrics["model"] == name] for name in BASELINE_MODELS
    }
    if champion_metrics is not None:
        references["champion"] = champion_metrics
    comparisons = [compare(candidate, rows, name, rule) for name, rows in references.items()]
    first_champion = champion_metrics is None
    reasons = [
        reason
        for c in comparisons
        if not (first_champion and _ties_within_tolerance(c, rule))
        for reason in c.reasons
    ]
    coverage = candidate["coverage80"].astype(float)
    mean_coverage = float(coverage.mean()) if coverage.notna().any() else None
    if mean_coverage is not None and not rule.min_coverage <= mean_coverage <= rule.max_coverage:
        reasons.append(
            f"80% interval coverage {mean_coverage:.3f} outside "
            f"[{rule.min_coverage:.2f}, {rule.max_coverage:.2f}]"
        )
    promoted = not reasons
    if promoted:
        beaten = ", ".join(c.reference for c in comparisons if c.beaten)
        reasons = [f"beats {beaten} on the held-out window"]
        tied = [c for c in comparisons if not c.beaten]
        if tied:
            reasons = [
                f"first champion: beats {beaten}; ties "
                + ", ".join(f"{c.reference} (mean MAE ratio {c.mean_ratio:.3f})" for c in tied)
                + f" within {100 * rule.max_target_regression:.0f}%"
            ]
    return promoted, reasons, comparisons, mean_coverage


def _ties_within_tolerance(comparison: Comparison, rule: PromotionRule) -> bool:
    """A non-naive baseline the candidate does not beat but matches within the tolerance."""
    if comparison.reference in NAIVE_BASELINES or not comparison.ratio_by_target:
        return False
    mean_limit = 1.0 - rule.min_improvement + rule.max_target_regression
    target_limit = 1.0 + rule.max_target_regression
    return (
        comparison.mean_ratio <= mean_limit
        and max(comparison.ratio_by_target.values()) <= target_limit
    )


def decide_promotion(
    name: str,
    candidate_version: str,
    holdout_metrics: pd.DataFrame,
    champion_metrics: pd.DataFrame | None = None,
    rule: PromotionRule | None = None,
    candidate_model: str = "lstm",
    client: MlflowClient | None = None,
) -> PromotionDecision:
    """Set ``challenger``; move ``champion`` only if the candidate beats champion and baselines.

    ``holdout_metrics`` is the metrics table of the candidate (rows ``model == candidate_model``)
    and of the baselines on the held-out window; ``champion_metrics`` the current champion's
    rows on the same window (required when a champion exists, see
    ``evaluation.score_forecaster``).
    """
    client = client or MlflowClient()
    rule = rule or PromotionRule()
    candidate_version = str(candidate_version)
    set_challenger(name, candidate_version, client)
    previous = alias_version(name, CHAMPION, client)
    if previous == candidate_version:
        previous = None
    if previous is not None and champion_metrics is None:
        promoted, reasons, comparisons, coverage = (
            False,
            [f"champion version {previous} has no scores on the held-out window"],
            [],
            None,
        )
    else:
        promoted, reasons, comparisons, coverage = evaluate_promotion(
            holdout_metrics, champion_metrics if previous else None, candidate_model, rule
        )
    decision = PromotionDecision(
        model_name=name,
        candidate_version=candidate_version,
        promoted=promoted,
        previous_champion=previous,
        reasons=reasons,
        comparisons=comparisons,
        rule=rule,
        candidate_coverage80=coverage,
    )
    if promoted:
        client.set_registered_model_alias(name, CHAMPION, candidate_version)
    _tag_decision(client, decision)
    return decision


def _tag_decision(client: MlflowClient, decision: PromotionDecision) -> None:
    tags = {
        "promotion.decision": "promoted" if decision.promoted else "rejected",
        "promotion.reason": "; ".join(decision.reasons)[:4900],
        "promotion.previous_champion": decision.previous_champion or "",
        "promotion.details": json.dumps(decision.to_dict(), default=_json_default)[:4900],
    }
    for key, value in tags.items():
        client.set_model_version_tag(decision.model_name, decision.candidate_version, key, value)


def _json_default(value):
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, float) and np.isnan(value):
        return None
    return str(value)
