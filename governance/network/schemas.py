"""What the network API reads from a request and answers."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, Field, field_validator

from governance.network.graph import ALL_LAYERS, Layer
from governance.network.metrics import BETWEENNESS_SOURCES, EXACT_BETWEENNESS_LIMIT, Engine
from governance.schemas import Input
from governance.vocab import RelationshipType, Sector, StakeholderKind

DEFAULT_LAYERS = ",".join(ALL_LAYERS)

SizeMetric = Literal[
    "degree",
    "weighted_degree",
    "betweenness",
    "closeness",
    "eigenvector",
    "constraint",
    "effective_size",
]


def split_codes(value: str) -> list[str]:
    """``"a, b,,c"`` → ``["a", "b", "c"]``."""
    return [part.strip() for part in value.split(",") if part.strip()]


class NetworkQuery(Input):
    """Which network: layers, a date or a period, and filters."""

    layers: str = Field(
        DEFAULT_LAYERS,
        max_length=200,
        description=f"Comma-separated layers: {', '.join(ALL_LAYERS)}",
    )
    as_of: dt.date | None = Field(
        None,
        description="Ties and events up to this day, relationships valid on it (default: today)",
    )
    start: dt.date | None = Field(None, description="First day of a period (with end)")
    end: dt.date | None = Field(None, description="Last day of a period (with start)")
    min_weight: float = Field(
        0, ge=0, le=1_000_000, allow_inf_nan=False, description="Leave out lighter ties"
    )
    sectors: str | None = Field(
        None,
        max_length=300,
        description=f"Comma-separated sectors to keep: {', '.join(Sector)} (default: all)",
    )

    @field_validator("layers")
    @classmethod
    def _known_layers(cls, value: str) -> str:
        codes = split_codes(value)
        if not codes:
            raise ValueError("choose at least one layer")
        unknown = [code for code in codes if code not in set(ALL_LAYERS)]
        if unknown:
            raise ValueError(f"unknown layer {unknown[0]!r}; choose from {', '.join(ALL_LAYERS)}")
        return value

    @field_validator("sectors")
    @classmethod
    def _known_sectors(cls, value: str | None) -> str | None:
        if value is None:
            return value
        unknown = [code for code in split_codes(value) if code not in set(Sector)]
        if unknown:
            raise ValueError(f"unknown sector {unknown[0]!r}; choose from {', '.join(Sector)}")
        return value

    def layer_list(self) -> tuple[Layer, ...]:
        """The chosen layers, each once, in the standard order."""
        chosen = set(split_codes(self.layers))
        return tuple(layer for layer in ALL_LAYERS if layer.value in chosen)

    def sector_set(self) -> frozenset[Sector] | None:
        if self.sectors is None or not split_codes(self.sectors):
            return None
        return frozenset(Sector(code) for code in split_codes(self.sectors))


class NetworkDrawingQuery(NetworkQuery):
    size_by: SizeMetric = Field("betweenness", description="The metric that sizes the nodes")


class NetworkTableQuery(NetworkQuery):
    table: Literal["nodes", "edges"] | None = Field(
        None, description="One CSV table; both in a zip when left out"
    )


class NodeMetricsRead(BaseModel):
    degree: int
    weighted_degree: float
    betweenness: float = Field(
        description=(
            "Normalised; estimated from a sample of the stakeholders when the network has "
            f"more than {EXACT_BETWEENNESS_LIMIT:,} stakeholders with ties "
            "(see betweenness_sources)"
        )
    )
    closeness: float
    eigenvector: float | None = Field(description="None outside the largest component")
    community: int
    constraint: float | None = Field(description="None for a stakeholder without ties")
    effective_size: float | None = Field(description="None for a stakeholder without ties")


class NodeRead(BaseModel):
    id: int = Field(description="The stakeholder's id")
    name: str
    sector: Sector
    kind: StakeholderKind
    metrics: NodeMetricsRead
    x: float = Field(description="Stable layout position, 0–1")
    y: float = Field(description="Stable layout position, 0–1")


class LinkRead(BaseModel):
    source: int
    target: int
    layer: Layer
    weight: float
    directed: bool = Field(description="False for a mutual tie, listed once")
    type: RelationshipType | None = Field(None, description="relationships only")
    valence: Literal["positive", "negative", "mixed"] | None = Field(None, description="trust only")
    signed_weight: int | None = Field(None, description="trust only: Σ ±severity")
    fulfilled: int | None = Field(None, description="commitments only")
    share_fulfilled: float | None = Field(None, description="commitments only")


class FiguresRead(BaseModel):
    nodes: int
    ties: int
    arcs: int
    density: float | None
    centralisation: float | None
    reciprocity: float | None
    components: int
    largest_component: int
    isolates: int
    communities: int | None
    modularity: float | None


class NetworkRead(BaseModel):
    collaboration_id: int
    layers: list[Layer]
    as_of: dt.date | None
    start: dt.date | None
    end: dt.date
    engine: Engine = Field(description="Which library computed the heavy metrics")
    nodes: list[NodeRead]
    links: list[LinkRead]
    figures: FiguresRead
    min_weight_applied: float = Field(
        description=(
            "The minimum tie weight the network was built with: min_weight, or higher when "
            "the network had more ties than the server measures and draws (MAX_TIES, 20,000): "
            "then only its backbone, the ties of this weight or more, is returned"
        )
    )
    ties_total: int = Field(
        description=(
            "How many ties (pairs tied in any layer, either way) the network has at the "
            "requested min_weight; more than figures.ties when only the backbone is returned"
        )
    )
    betweenness_sources: int | None = Field(
        None,
        description=(
            f"None when betweenness is exact. Above {EXACT_BETWEENNESS_LIMIT:,} stakeholders "
            "with ties it is estimated from the shortest paths leaving this many of them "
            f"({BETWEENNESS_SOURCES}), drawn at random with a fixed seed and scaled up "
            "(Brandes & Pich 2007)"
        ),
    )


class QuarterRead(BaseModel):
    quarter: str = Field(examples=["2020-Q2"])
    start: dt.date
    end: dt.date
    figures: FiguresRead


class NetworkSeriesRead(BaseModel):
    collaboration_id: int
    layers: list[Layer]
    quarters: list[QuarterRead]
