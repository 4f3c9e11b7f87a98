"""The clinic's content in other languages (kiosk/localised.py): every piece a patient reads is
there to translate; a translation goes out of date the moment its source is edited; a language
is approved for patients only when every warning sign, safety note, and step and caution of a
stretch in a routine is translated, checked and current; installers see and do the same from
the command line."""

from sqlalchemy import func, select

from kiosk.db import get_session
from kiosk.localised import fingerprint, pieces, standing
from kiosk.models import LanguageApproval, SafetyNote, Stretch, Translation, WarningSign


def translate(app, language, wanted=lambda piece: True, status="checked"):
    """A translation of each piece `wanted` picks, as a reviewer would leave it."""
    with app.app_context():
        session = get_session()
        session.add_all(
            Translation(language=language, kind=piece.kind, ref=piece.ref,
                        position=piece.position, text=f"[{language}] {piece.text}",
                        status=status, source_sha256=fingerprint(piece.text), checked_by="mai")
            for piece in pieces(session) if wanted(piece))
        session.commit()


def test_every_piece_a_patient_reads_is_there_to_translate(app):
    with app.app_context():
        session = get_session()
        found = pieces(session)
        by_kind = {}
        for piece in found:
            by_kind.setdefault(piece.kind, []).append(piece)
        stretches = session.scalars(select(Stretch).where(Stretch.retired.is_(False))).all()
        assert len(by_kind["stretch.title"]) == len(stretches) == 7
        assert len(by_kind["stretch.step"]) == sum(len(s.steps) for s in stretches)
        assert [p.text for p in by_kind["warning_sign"]] == list(session.scalars(
            select(WarningSign.text).order_by(WarningSign.position)))
        assert len(by_kind["safety_note"]) == session.scalar(
            select(func.count()).select_from(SafetyNote))
        assert {"passage.title", "passage.body", "tip", "stretch.region"} <= set(by_kind)
        # Safety: every warning sign and safety note, every step of a stretch in a routine.
        assert all(p.safety for p in by_kind["warning_sign"] + by_kind["safety_note"])
        assert all(p.safety for p in by_kind["stretch.step"])  # the seed's routine has all 7
        assert not any(p.safety for p in by_kind["tip"] + by_kind["stretch.title"])
        # No number of a dose is inside a piece: holds and repetitions are not text.
        assert not [p for p in found if p.kind.startswith("stretch.")
                    and p.text.strip().isdigit()]


def test_a_clinics_hours_and_address_are_pieces_once_it_has_them(app, session):
    from kiosk.models import Clinic

    clinic = session.scalar(select(Clinic))
    clinic.hours, clinic.address = "Mon-Fri 8am-6pm", "12 Example St, Brisbane"
    session.commit()
    with app.app_context():
        found = {(p.kind, p.ref): p.text for p in pieces(get_session())}
    assert found[("clinic.hours", clinic.slug)] == "Mon-Fri 8am-6pm"
    assert found[("clinic.address", clinic.slug)] == "12 Example St, Brisbane"


def test_a_language_is_approved_only_with_every_safety_piece_checked(app, runner, seeded_app,
                                                                     tmp_path):
    refused = runner.invoke(args=["approve-language", "vi"])
    assert refused.exit_code == 1
    assert "Vietnamese cannot be offered yet" in refused.output
    assert "warning sign 1: " in refused.output
    assert "stretch step neck-stretch 1: " in refused.output
    # Drafts of everything are not enough, nor checked pieces with one safety draft left.
    translate(app, "vi", status="draft")
    assert "cannot be offered yet" in runner.invoke(args=["approve-language", "vi"]).output
    with app.app_context():
        session = get_session()
        for row in session.scalars(select(Translation)):
            row.status = "checked"
        last_sign = session.scalar(select(Translation).filter_by(kind="warning_sign")
                                   .order_by(Translation.position.desc()))
        last_sign.status = "draft"
        session.commit()
        assert len(standing(session, "vi").safety_gaps) == 1
    refused = runner.invoke(args=["approve-language", "vi"])
    assert "1 safety pieces are missing, drafts or out of date" in refused.output
    with app.app_context():
        assert get_session().scalar(select(func.count()).select_from(LanguageApproval)) == 0
        last_sign = get_session().scalar(select(Translation).filter_by(kind="warning_sign")
                                         .order_by(Translation.position.desc()))
        last_sign.status = "checked"
        get_session().commit()
    ready = runner.invoke(args=["languages"]).output
    assert "ready to approve: every safety piece is checked (approve-language vi)" in next(
        line for line in ready.splitlines() if line.startswith("vi "))
    approved = runner.invoke(args=["approve-language", "vi", "--by", "mai"])
    assert approved.exit_code == 0 and approved.output == "Vietnamese is offered to patients.\n"
    listed = runner.invoke(args=["languages"]).output
    line = next(line for line in listed.splitlines() if line.startswith("vi "))
    assert line.endswith("offered to patients")  # the kiosk ships its words (make catalogues)
    assert " 0 missing" in line and " 0 out of date" in line
    assert "not approved" in next(row for row in listed.splitlines() if row.startswith("ar "))
    # An install whose catalogues are not compiled: approved, but not offered without its words.
    wordless = seeded_app(BABEL_TRANSLATION_DIRECTORIES=str(tmp_path))
    line = next(line for line in wordless.test_cli_runner().invoke(args=["languages"]).output
                .splitlines() if line.startswith("vi "))
    assert "approved, but the kiosk has no words for it yet" in line


def test_an_edited_source_puts_its_translation_out_of_date_at_once(app, session):
    translate(app, "vi")
    neck = session.scalar(select(Stretch).filter_by(slug="neck-stretch"))
    neck.steps = [*neck.steps[:1], "Slowly lower your chin to your chest.", *neck.steps[2:]]
    session.commit()
    with app.app_context():
        seen = standing(get_session(), "vi")
    assert seen.counts["out of date"] == 1
    assert [(p.kind, p.ref, p.position) for p in seen.safety_gaps] == [
        ("stretch.step", "neck-stretch", 2)]


def test_unknown_languages_and_withdrawing_are_answered_in_a_line(app, runner):
    unknown = runner.invoke(args=["approve-language", "fr"])
    assert unknown.exit_code == 1 and "There is no language 'fr' to approve" in unknown.output
    assert runner.invoke(args=["approve-language", "en"]).exit_code == 1
    translate(app, "ar")
    assert runner.invoke(args=["approve-language", "ar"]).exit_code == 0
    withdrawn = runner.invoke(args=["approve-language", "ar", "--withdraw"])
    assert withdrawn.output == "Arabic is no longer offered to patients.\n"
    again = runner.invoke(args=["approve-language", "ar", "--withdraw"])
    assert again.output == "Arabic was not offered to patients.\n"
