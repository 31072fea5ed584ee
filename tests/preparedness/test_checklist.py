"""A response plan's checklist attaches when an incident starts to matter, once, with
owners; ticks are kept in history and shown on the incident's timeline."""

from incidents import services as incident_services
from incidents.choices import Channel, Level, Priority
from incidents.selectors import incident_timeline
from preparedness import services
from preparedness.models import IncidentTask, ResponsePlan


def _tasks(incident):
    return list(IncidentTask.objects.filter(incident=incident).order_by("position"))


def test_declaring_a_major_incident_attaches_the_default_plans_checklist_with_owners(
    incident, default_plan, manager, responder, team, deliver
):
    incident_services.incident_assign(
        incident=incident, actor=responder, via=Channel.ADMIN, assignee=responder
    )
    with deliver():
        incident_services.incident_declare_major(
            incident=incident, actor=manager, via=Channel.ADMIN
        )
    tasks = _tasks(incident)
    assert [t.text for t in tasks] == [
        "Confirm the impact",
        "Take ownership",
        "Open a bridge",
        "Post the first public update",
    ]
    assert [t.owner for t in tasks] == [manager, responder, None, manager]
    assert tasks[2].owner_team == team
    assert all(t.plan == default_plan and not t.done for t in tasks)


def test_the_checklist_attaches_only_once_per_incident(incident, default_plan, manager, deliver):
    with deliver():
        incident_services.incident_declare_major(
            incident=incident, actor=manager, via=Channel.ADMIN
        )
    with deliver():
        incident_services.incident_update(
            incident=incident,
            actor=manager,
            via=Channel.ADMIN,
            impact=Level.HIGH,
            urgency=Level.HIGH,
        )
    services.plan_attach_checklist(incident=incident, plan=default_plan, actor=manager)
    assert len(_tasks(incident)) == 4


def test_an_incident_created_at_a_trigger_priority_gets_the_checklist(
    make_incident, service, default_plan, deliver
):
    with deliver():
        urgent = make_incident(service=service, impact=Level.HIGH, urgency=Level.HIGH)
        routine = make_incident(service=service)
    assert urgent.priority == Priority.P1
    assert len(_tasks(urgent)) == 4
    assert _tasks(routine) == []


def test_an_incident_raised_into_a_trigger_priority_gets_the_checklist(
    incident, default_plan, responder, deliver
):
    with deliver():
        incident_services.incident_update(
            incident=incident,
            actor=responder,
            via=Channel.ADMIN,
            impact=Level.HIGH,
            urgency=Level.HIGH,
        )
    assert len(_tasks(incident)) == 4


def test_a_services_own_plan_is_used_instead_of_the_default(
    incident, default_plan, service, manager, deliver
):
    own = ResponsePlan.objects.create(name="VPN plan", service=service)
    own.steps.create(position=0, text="Fail over the concentrator")
    assert services.plan_for_service(service) == own
    with deliver():
        incident_services.incident_declare_major(
            incident=incident, actor=manager, via=Channel.ADMIN
        )
    assert [t.text for t in _tasks(incident)] == ["Fail over the concentrator"]


def test_an_inactive_plan_attaches_nothing(incident, default_plan, manager, deliver):
    ResponsePlan.objects.filter(pk=default_plan.pk).update(active=False)
    with deliver():
        incident_services.incident_declare_major(
            incident=incident, actor=manager, via=Channel.ADMIN
        )
    assert _tasks(incident) == []


def test_a_tick_is_in_the_tasks_history_and_on_the_incidents_timeline(
    incident, default_plan, manager, responder
):
    services.plan_attach_checklist(incident=incident, plan=default_plan, actor=manager)
    task = _tasks(incident)[1]
    services.task_set_done(task=task, actor=responder, done=True)
    task.refresh_from_db()
    assert task.done and task.done_by == responder and task.done_at is not None
    latest = task.history.latest()
    assert latest.history_user == responder and latest.history_change_reason == "Task done"
    entries = [e for e in incident_timeline(incident) if e.kind == "checklist"]
    assert entries[0].title == "Checklist attached from response plan Default plan"
    assert "Take ownership" in entries[0].body
    assert entries[-1].title == "Task done"
    assert entries[-1].body == "☑ Take ownership"
    assert entries[-1].actor == "Agent"
    assert not any(e.public for e in entries)

    services.task_set_done(task=task, actor=responder, done=False)
    services.task_set_done(task=task, actor=responder, done=False)  # no second row
    assert task.history.count() == 3
    assert [e.title for e in incident_timeline(incident) if e.kind == "checklist"][-1] == (
        "Task reopened"
    )
