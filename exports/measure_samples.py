"""A school's measures half a year after its first conference, for tests and for looking at the documents.

Five measures in different states on purpose: one evaluated at the second conference,
one in trial with an overdue milestone and rule warnings, one still a draft with open
fields, one in daily operation, one stopped. Names are placeholders, never real people.
"""

from __future__ import annotations

from datetime import date, datetime

from exports.measure_data import (
    EvaluationData,
    LogEntryData,
    MeasureData,
    MeasuresReport,
    MilestoneData,
    PlannedConferenceData,
    SourcePointData,
    StatusChangeData,
)

DK1 = "Dialogkonferanse 1 – Tverrfaglig samarbeid på Skole A"
DK2 = "Dialogkonferanse 2 – Evaluering av tiltakene"
DK1_DAY, DK2_DAY = date(2026, 11, 22), date(2027, 4, 27)


def _nurse_meetings() -> MeasureData:
    return MeasureData(
        id=1,
        title="Faste møter mellom lærere og helsesykepleier",
        status="evaluated",
        goal="Elevene skal oppleve at skolen og helsesykepleier ser dem tidlig.",
        content=(
            "Helsesykepleier deltar på trinnteammøtet én gang i måneden.\n"
            "Trinnteamet tar opp temaer for hele trinnet, ikke enkeltelever."
        ),
        coordinator="Deltaker 7, lærer 7. trinn",
        main_arena="grade_team",
        participants="Lærerne på 5.–7. trinn, helsesykepleier og sosiallærer",
        timeframe="Januar til juni 2027; styringsgruppen avgjør i juni om tiltaket blir daglig drift.",
        pyramid_level="preventive",
        multi_professional=True,
        lasting=True,
        all_pupils=True,
        milestones=[
            MilestoneData(11, "Første møte med helsesykepleier", date(2027, 1, 11), done=True),
            MilestoneData(12, "Evaluering på dialogkonferanse 2", DK2_DAY, done=True),
            MilestoneData(13, "Styringsgruppen avgjør daglig drift", date(2027, 6, 10)),
        ],
        history=[
            StatusChangeData(datetime(2026, 11, 22, 14, 5), "", "draft", "Fasilitator 1", "Laget på DK1."),
            StatusChangeData(
                datetime(2026, 12, 3, 15, 0),
                "draft",
                "concretised",
                "Deltaker 7",
                "Ressursteamet har fylt ut planen.",
            ),  # fmt: skip
            StatusChangeData(
                datetime(2026, 12, 14, 13, 30),
                "concretised",
                "decided",
                "Rektor",
                "Tverrfaglig og for hele trinnet.",
                "Styringsgruppemøte 14. desember, sak 12/26",
            ),
            StatusChangeData(date(2027, 1, 11), "decided", "in_trial", "Deltaker 7"),
            StatusChangeData(date(2027, 4, 27), "in_trial", "evaluated", "Fasilitator 1", "Evaluert på DK2."),
        ],
        log=[
            LogEntryData(
                date(2027, 1, 11),
                "Første møte: søvn og skjermbruk på 6. trinn.",
                "Trinnteam 6, helsesykepleier",
                "Elevene ville selv snakke om søvn.",
            ),  # fmt: skip
            LogEntryData(
                date(2027, 2, 8),
                "Møte om overgangen til ungdomsskolen.",
                "Trinnteam 7, helsesykepleier",
                "Vi trenger rådgiveren fra ungdomsskolen med.",
            ),  # fmt: skip
        ],
        evaluations=[
            EvaluationData(
                DK2_DAY,
                works="Lærerne vet hvem de kan drøfte bekymringer med.",
                adjust="Møtene bør legges til uker uten prøver.",
                daily_operation="Ja, fra høsten 2027.",
                participants="Bord 3: lærere 5.–7. trinn, helsesykepleier, sosiallærer",
                conference_title=DK2,
            )
        ],
        sources=[
            SourcePointData("Faste møter mellom trinnteam og helsesykepleier", DK1, DK1_DAY, 1),
            SourcePointData("Mer tid til samarbeid i årshjulet", DK1, DK1_DAY, 2),
            SourcePointData("Møtene fungerer, men kolliderer med prøveuker", DK2, DK2_DAY, 3),
        ],
    )


def make_sample_measures() -> MeasuresReport:
    """Skole A on 10 May 2027, after DK2 and with DK3 planned for November."""
    return MeasuresReport(
        organisation="Skole A",
        as_of=date(2027, 5, 10),
        measures=[
            _nurse_meetings(),
            MeasureData(
                id=2,
                title="Drøftingsmøter med barnevernet uten navn",
                status="in_trial",
                goal="Lærerne skal kunne drøfte en bekymring med barnevernet før en sak meldes.",
                coordinator="Deltaker 1, trinnleder 5. trinn",
                main_arena="resource_team",
                pyramid_level="early",
                multi_professional=True,
                milestones=[MilestoneData(21, "Første drøftingstime holdt", date(2027, 4, 1))],
                history=[StatusChangeData(date(2027, 2, 1), "decided", "in_trial", "Rektor")],
                log=[LogEntryData(date(2027, 3, 15), "Avtale med barnevernet om tidspunkt.", "Deltaker 1")],
                sources=[SourcePointData("Lavterskel kontakt med barnevernet", DK1, DK1_DAY, 2)],
                warnings=[
                    "Koordinator er trinnleder; veilederen anbefaler en annen.",
                    "Milepælen «Første drøftingstime holdt» er forfalt.",
                ],
            ),
            MeasureData(id=3, title="PPT med i ressursteamet fra høsten", status="draft"),
            MeasureData(
                id=4,
                title="Felles leseløft på mellomtrinnet",
                status="daily_operation",
                coordinator="Deltaker 4, lesepedagog",
                log=[LogEntryData(date(2027, 4, 30), "Leseløftet er med i skolens årsplan.", "Ledergruppen")],
                milestones=[MilestoneData(41, "Kartlegging av lesing", date(2027, 9, 15))],
            ),
            MeasureData(
                id=5,
                title="Trivselsledere i friminuttene",
                status="stopped",
                coordinator="Deltaker 9, sosiallærer",
                history=[
                    StatusChangeData(
                        date(2027, 3, 1),
                        "in_trial",
                        "stopped",
                        "Styringsgruppen",
                        "Kommunens program dekker det samme.",
                    )
                ],  # fmt: skip
            ),
        ],
        conferences=[
            PlannedConferenceData(101, DK1, DK1_DAY),
            PlannedConferenceData(102, DK2, DK2_DAY),
            PlannedConferenceData(103, "Dialogkonferanse 3 – Neste skoleår", date(2027, 11, 18)),
        ],
    )
