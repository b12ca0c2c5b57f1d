"""The general-assembly deck as data: one Slide spec per slide, built from the database.

No Streamlit import. The presentation page, the PowerPoint and PDF export
(observatoire.deck), the tests and the benchmark all build the same specs with
build_slides(con, territory, year). Every number comes from a named query
(queries/*.sql) run with observatoire.db.run_query; a slide carries its data, how to
chart it, a footer (territory, reference year, short sources) and speaker notes (full
sources, quotes included).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import duckdb
import pandas as pd

from observatoire import db, fmt
from observatoire.charts import ACCENT

# Map level drawn for a territory of each level (one level below, départements at most).
MAP_LEVEL = {"france": "federation", "federation": "departement", "region_2014": "departement",
             "departement": "departement"}
MAP_LEVEL_NAMES = {"federation": "COORACE régional", "region_2014": "région (2014)", "departement": "département"}
# The CEDRE engagement shares are published for this federation only (see pages/3_qualite_cedre.py).
ENGAGEMENTS_TERRITORY = "fed-midi-pyrenees"
FUNDING_SERIES = ("Financements publics", "Activité économique")
FUNDING_COLOURS = (ACCENT, "#E69F00")
DEMO_NOTE = ("Données de démonstration : le registre réel des adhérents n'est pas public ; les totaux publiés "
             "sont respectés, la répartition entre territoires est illustrative.")
FOOTER_SOURCES_MAX = 100  # characters of sources printed in a footer; the notes carry them all
LABEL_MAX = 40  # longer structure-type labels are replaced by their short form on slides


@dataclass(frozen=True)
class Chart:
    """How to chart a slide's data: kind, category column, one value column per series.

    kind: "bar" (horizontal), "column", "stacked" (100 % horizontal), "doughnut" or "map".
    colour_col holds structure-type codes (coloured like every chart of the dashboard);
    series_colours gives one colour per series of a stacked chart. For a map: level,
    id_col and zoom_to (the territory the view fits; None for all of France).
    """

    kind: str
    category_col: str
    value_cols: tuple[str, ...]
    unit: str = "nombre"
    series_names: tuple[str, ...] = ()
    colour_col: str | None = None
    series_colours: tuple[str, ...] = ()
    level: str | None = None
    zoom_to: tuple[str, str] | None = None  # (territory level, territory id)

    def names(self) -> tuple[str, ...]:
        return self.series_names or self.value_cols


@dataclass(frozen=True)
class Slide:
    """One slide: what it shows, where its numbers come from, how it reads in the room.

    kind: "title", "kpis" (data: label, value, unit, caption, source), "chart", "map",
    "project" (data: the project's result figures).
    """

    id: str
    title: str
    kind: str
    footer: str
    notes: str
    subtitle: str = ""
    data: pd.DataFrame | None = None
    chart: Chart | None = None
    side: pd.DataFrame | None = None  # a short ranking printed next to a map (label, value)
    side_title: str = ""
    body: tuple[str, ...] = ()
    caption: str = ""
    demo: bool = False
    default: bool = True  # part of the deck unless the presenter removes it
    sources: tuple[str, ...] = field(default=())  # short sources, as in the footer


def unique(values: Iterable) -> list[str]:
    """Non-empty values, first occurrence order."""
    return [v for v in dict.fromkeys(str(v) for v in values if v is not None and not pd.isna(v)) if v]


def footer_text(territory_name: str, year: int, sources: Iterable[str]) -> str:
    """"<territoire> · données <année> · Sources : ...", short enough for one line."""
    sources = unique(sources)
    text = " ; ".join(sources)
    if len(text) > FOOTER_SOURCES_MAX:
        documents = unique(s.split(",")[0] for s in sources)
        text = " ; ".join(documents) + " (détail dans les notes)"
    return f"{territory_name} · données {year} · Sources : {text}"


def notes_text(sources: Iterable[str], extra: Iterable[str] = ()) -> str:
    """Speaker notes: every source in full, one per line, then remarks (demonstration data, map credits)."""
    lines = ["Sources :"] + [f"- {s}" for s in unique(sources)]
    extra = [e for e in extra if e]
    return "\n".join(lines + ([""] + extra if extra else []))


class _Builder:
    """Runs the queries of one territory and year; one method per slide."""

    def __init__(self, con: duckdb.DuckDBPyConnection, territory: str, year: int):
        self.con = con
        self.territory = territory
        self.year = year
        territories = self.q("territory_list").set_index("territory_id")
        if territory not in territories.index:
            raise ValueError(f"Territoire inconnu : {territory}")
        self.name = "France entière" if territory == "FR" else str(territories.loc[territory, "name"])
        self.level = str(territories.loc[territory, "level"])
        self.national = territory == "FR"

    def q(self, name: str, **params) -> pd.DataFrame:
        return db.run_query(name, params, con=self.con)

    def register(self, territory: str | None = None) -> str:
        """Where the register of a territory comes from (documents, an imported file, demonstration rows)."""
        label = str(self.q("register_sources", territory=territory or self.territory, year=self.year).source.iloc[0])
        return label[:1].upper() + label[1:]

    def series(self, theme: str, indicator: str, territory: str = "FR", year: int | None = None) -> pd.DataFrame:
        return self.q("published_series", theme=theme, indicator=indicator, territory=territory,
                      year=year or self.year)

    def slide(self, id: str, title: str, kind: str, short: Iterable[str], full: Iterable[str],
              extra: Iterable[str] = (), **kwargs) -> Slide:
        short = unique(short)
        return Slide(id=id, title=title, kind=kind, footer=footer_text(self.name, self.year, short),
                     notes=notes_text(full, extra), sources=tuple(short), **kwargs)

    def national_caption(self) -> str:
        return "" if self.national else f"Chiffres publiés pour la France entière seulement : pas pour « {self.name} »."

    # ------------------------------------------------------------------ slides

    def title(self) -> Slide:
        documents = self.q("source_documents")
        full = [f"{d.title} ({d.publisher}, {d.year})" for d in documents.itertuples()]
        return self.slide(
            "titre", f"Observatoire COORACE — {self.name}", "title", documents.short_title, full,
            subtitle=f"Chiffres clés du réseau · données {self.year}",
            body=("Chiffres publiés par COORACE (rapport d'activité, synthèse « utilité sociale territoriale ») "
                  "et registre des adhérents.",),
        )

    def key_figures(self) -> Slide:
        if self.national:
            kpis = self.q("key_figures", year=self.year)
            data = pd.DataFrame({
                "label": kpis.label, "value": kpis.value, "unit": kpis.unit,
                "caption": [f"{r.unit_label} · {int(r.year)}" for r in kpis.itertuples()],
                "source": kpis.source_short,
            })
            return self.slide("chiffres-cles", f"Chiffres clés du réseau, {self.year}", "kpis",
                              kpis.source_short, kpis.source, data=data)
        profile = self.q("territory_profile", territory=self.territory, year=self.year).iloc[0]
        own = self.q("territory_figures", territory=self.territory, year=self.year)
        own = own[(own.relation == "ce territoire") & (own.category_label == "")]
        if own.empty:
            demo = int(profile.demo_members) > 0
            source = self.register()
            data = pd.DataFrame({
                "label": ["Adhérents", "Adhérents certifiés CEDRE"],
                "value": [float(profile.members), float(profile.certified)],
                "unit": ["nombre", "nombre"],
                "caption": [f"registre · {self.year}"] * 2,
                "source": [source] * 2,
            })
        else:
            demo = False
            data = pd.DataFrame({
                "label": own.label, "value": own.value, "unit": own.unit,
                "caption": [f"publié · {int(y)}" for y in own.year], "source": own.source_short,
            })
        data = pd.concat([data, pd.DataFrame({
            "label": ["Départements couverts"], "value": [float(profile.departements)], "unit": ["nombre"],
            "caption": ["découpage de 2014"], "source": ["Référentiel des territoires"],
        })], ignore_index=True)
        return self.slide("chiffres-cles", f"Chiffres clés — {self.name}, {self.year}", "kpis",
                          data.source, data.source, [DEMO_NOTE if demo else ""], data=data.reset_index(drop=True),
                          demo=demo)

    def members_map(self) -> Slide:
        from observatoire.maps import GEO_CREDIT  # geopandas is heavy: loaded only for the map slide

        level = MAP_LEVEL[self.level]
        counts = self.q("members_by_subterritory", territory="FR", level=level, year=self.year)
        ranking = self.q("members_by_subterritory", territory=self.territory, level=level, year=self.year)
        names = ranking.name.str.removeprefix("COORACE ") if level == "federation" else ranking.name
        side = pd.DataFrame({"label": names, "value": ranking.members}).head(6)
        total = int(self.q("territory_profile", territory=self.territory, year=self.year).members.iloc[0])
        demo = int(counts.demo_members.sum()) > 0
        where = "" if self.national else f" — {self.name}"
        return self.slide(
            "carte-adherents", f"Adhérents par {MAP_LEVEL_NAMES[level]}{where}, {self.year}", "map",
            [self.register("FR")], [self.register("FR"), GEO_CREDIT],
            [DEMO_NOTE if demo else ""],
            data=counts[["territory_id", "name", "members"]],
            chart=Chart("map", "name", ("members",), series_names=("Adhérents",), level=level,
                        zoom_to=None if self.national else (self.level, self.territory)),
            side=side, side_title="Les plus nombreux", demo=demo,
            caption=f"{fmt.number(total)} adhérents au total{where}",
        )

    def structure_types(self) -> Slide:
        by_type = self.q("members_by_type", territory=self.territory, year=self.year)
        data = pd.DataFrame({
            "structure_type": by_type.structure_type,
            "type": [label if len(label) <= LABEL_MAX else short
                     for label, short in zip(by_type.type_label, by_type.short_label)],
            "members": by_type.members.astype(float),
        })
        published = "Rapport d'activité 2014, « Répartition des adhérents par type (au 31 décembre 2014) »"
        demo = not self.national and int(by_type.demo_members.sum()) > 0
        source = published if self.national else self.register()
        where = "" if self.national else f" — {self.name}"
        body = () if len(data) else (f"Aucun adhérent dans le registre pour « {self.name} » en {self.year}.",)
        return self.slide(
            "types-structures", f"Adhérents par type de structure{where}, {self.year}", "chart",
            [source], [source], [DEMO_NOTE if demo else ""], data=data,
            chart=None if data.empty else Chart("bar", "type", ("members",), series_names=("Adhérents",),
                                                colour_col="structure_type"),
            body=body,
            caption=f"{fmt.number(int(data.members.sum()))} adhérents", demo=demo,
        )

    def funding_mix(self) -> Slide:
        mix = self.q("funding_mix_by_type", territory="FR", year=self.year)
        wide = mix.pivot(index="category_label", columns="series", values="value")
        order = list(dict.fromkeys(mix.category_label))
        data = wide.loc[order, list(FUNDING_SERIES)].reset_index().rename(columns={"category_label": "type"})
        data.columns.name = None
        year = int(mix.year.max())
        return self.slide(
            "financements", f"Financements publics et activité économique par type de structure, {year}", "chart",
            mix.source_short, mix.source_short, data=data,
            chart=Chart("stacked", "type", FUNDING_SERIES, unit="%", series_colours=FUNDING_COLOURS),
            subtitle="En % du total des ressources", caption=self.national_caption(),
        )

    def resources(self) -> Slide:
        shares = self.series("federation_resources", "federation_resources_share")
        total = self.series("federation_resources", "federation_resources_total")
        year = int(shares.year.max())
        amount = f" : {fmt.with_unit(total.value.iloc[0], total.unit.iloc[0])}" if not total.empty else ""
        return self.slide(
            "ressources", f"Ressources du COORACE national, {year}{amount}", "chart",
            list(shares.source_short) + list(total.source_short), list(shares.source) + list(total.source),
            data=shares[["category_label", "value"]].reset_index(drop=True),
            chart=Chart("doughnut", "category_label", ("value",), unit="%", series_names=("Part des ressources",)),
            caption=self.national_caption(),
        )

    def cedre(self) -> Slide:
        facts = [("cedre_new_certified", "nouvelles certifications CEDRE en {y}"),
                 ("cedre_renewals", "certifications CEDRE renouvelées en {y}"),
                 ("iso_new_certified", "nouveaux certifiés CEDRE ISO 9001 (décembre {y})")]
        body, short, full = [], [], []
        for indicator, text in facts:
            row = self.series("cedre", indicator)
            if not row.empty:
                body.append(f"{fmt.number(row.value.iloc[0])} {text.format(y=int(row.year.iloc[0]))}"
                            + ("" if self.national else " (France entière)"))
                short += list(row.source_short)
                full += list(row.source)
        if self.national:
            schemes = self.series("cedre", "certified_by_scheme")
            data = pd.DataFrame({"scheme": schemes.category_label, "members": schemes.value})
            year = int(schemes.year.max())
            title = f"Qualité CEDRE : {fmt.number(data.members.sum())} entreprises certifiées, {year}"
            short, full = list(schemes.source_short) + short, list(schemes.source) + full
            demo = False
        else:
            schemes = self.q("certified_by_scheme", territory=self.territory, year=self.year)
            data = pd.DataFrame({"scheme": schemes.scheme, "members": schemes.members.astype(float)})
            title = f"Qualité CEDRE : {fmt.number(data.members.sum())} adhérents certifiés — {self.name}, {self.year}"
            demo = int(schemes.demo_members.sum()) > 0
            register = self.register()
            short, full = [register] + short, [register] + full
        if data.members.sum() == 0:
            body.insert(0, f"Aucun adhérent certifié dans le registre pour « {self.name} » en {self.year}.")
        return self.slide(
            "cedre", title, "chart", short, full, [DEMO_NOTE if demo else ""], data=data.reset_index(drop=True),
            chart=None if data.members.sum() == 0 else Chart(
                "doughnut", "scheme", ("members",), series_names=("Entreprises certifiées",),
                series_colours=(ACCENT, "#009E73")),
            body=tuple(body), demo=demo, subtitle="Entreprises certifiées par label",
        )

    def cedre_engagements(self) -> Slide | None:
        shares = self.series("cedre", "engagement_share", territory=self.territory)
        own = not shares.empty
        if not own:
            shares = self.series("cedre", "engagement_share", territory=ENGAGEMENTS_TERRITORY)
        if shares.empty:
            return None
        where = self.name if own else "COORACE Midi-Pyrénées"
        return self.slide(
            "cedre-engagements", f"Les engagements CEDRE de l'accompagnement — {where}, {int(shares.year.max())}",
            "chart", shares.source_short, shares.source,
            data=shares[["category_label", "value"]].reset_index(drop=True),
            chart=Chart("bar", "category_label", ("value",), unit="%", series_names=("Part des engagements",)),
            caption="" if own else f"Publié pour {where} seulement : pas pour « {self.name} ».",
            subtitle="Répartition des engagements réciproques de l'accompagnement socio-professionnel",
            default=own,
        )

    def cedre_iso_map(self) -> Slide:
        from observatoire.maps import GEO_CREDIT

        new = self.series("cedre", "iso_new_by_federation").rename(columns={"category": "territory_id"})
        side = pd.DataFrame({"label": new.category_label.str.title(), "value": new.value})
        year = int(new.year.max())
        return self.slide(
            "cedre-iso-carte", f"Nouveaux certifiés CEDRE ISO 9001 par COORACE régional, décembre {year}",
            "map", new.source_short, list(new.source) + [GEO_CREDIT],
            data=new[["territory_id", "category_label", "value"]].reset_index(drop=True),
            chart=Chart("map", "category_label", ("value",), series_names=("Nouveaux certifiés",),
                        level="federation"),
            side=side, side_title="Nouveaux certifiés", caption=self.national_caption(), default=False,
        )

    def turnover(self) -> Slide:
        by_scope = self.series("network_economy", "turnover_by_scope")
        total = self.series("network_economy", "turnover_total")
        amount = f" : {fmt.with_unit(total.value.iloc[0], total.unit.iloc[0])}" if not total.empty else ""
        return self.slide(
            "chiffre-affaires", f"Chiffre d'affaires HT cumulé du réseau, {int(by_scope.year.max())}{amount}", "chart",
            list(by_scope.source_short) + list(total.source_short), list(by_scope.source) + list(total.source),
            data=by_scope[["category_label", "value"]].reset_index(drop=True),
            chart=Chart("column", "category_label", ("value",), unit="M€", series_names=("Chiffre d'affaires",)),
            caption=self.national_caption(), default=False,
        )

    def sectors(self) -> Slide:
        shares = self.series("activity_sectors", "sector_distribution")
        note = shares.note.dropna()
        return self.slide(
            "secteurs", f"Répartition par secteur d'activité, {int(shares.year.max())}", "chart",
            shares.source_short, shares.source, [note.iloc[0] if not note.empty else ""],
            data=shares[["category_label", "value"]].reset_index(drop=True),
            chart=Chart("bar", "category_label", ("value",), unit="%", series_names=("Part",)),
            caption=self.national_caption(), default=False,
        )

    def projects(self) -> list[Slide]:
        projects = self.q("innovation_projects", territory=self.territory, axis=0)
        out = []
        for p in projects.itertuples():
            results = self.q("project_results", project=p.project_id)
            carrier = f"Porté par {p.carrier}" if p.carrier else ""
            out.append(self.slide(
                f"projet-{p.project_id}", p.name, "project", [p.source.split(" — ")[0]],
                [p.source] + list(results.source),
                subtitle=" · ".join(x for x in (p.place, f"Axe : {p.axis}" if p.axis else "", carrier) if x),
                data=results[["label", "value", "unit", "year"]].reset_index(drop=True),
                body=(p.summary,),
                caption="Innovation : projet présenté dans le rapport d'activité",
            ))
        return out


def build_slides(con: duckdb.DuckDBPyConnection, territory: str, year: int) -> list[Slide]:
    """Every slide available for a territory and reference year, in the default order.

    Slides with default=False (turnover, sectors, CEDRE map, engagements published for
    another territory) are offered to the presenter but left out of the default deck.
    """
    b = _Builder(con, territory, year)
    slides = [b.title(), b.key_figures(), b.members_map(), b.structure_types(), b.funding_mix(), b.resources(),
              b.cedre(), b.cedre_engagements(), b.cedre_iso_map(), b.turnover(), b.sectors(), *b.projects()]
    return [s for s in slides if s is not None]


def default_selection(slides: list[Slide]) -> list[str]:
    """Ids of the default deck, in order."""
    return [s.id for s in slides if s.default]


def select(slides: list[Slide], ids: Iterable[str]) -> list[Slide]:
    """The slides named by ids, in that order; unknown ids are skipped."""
    by_id = {s.id: s for s in slides}
    return [by_id[i] for i in ids if i in by_id]
