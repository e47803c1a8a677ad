"""Fieldwork progress against targets: completes per category, daily progress, the pace and the date the targets
are reached at that pace, and the response rate of each invitation batch. Pure: plain tables in, tables out.

The pace is the mean number of complete responses per day over the last ``PACE_DAYS`` days up to the day of the
report, that day included (fewer when the fieldwork started more recently; early in the day the pace reads a
little low). A target's projected date is the report's day plus its
remaining completes divided by its own pace, rounded up to whole days.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import date, timedelta

import pandas as pd

PACE_DAYS = 7
# What a target's row says: reached; on track (projected by the window's end); behind (projected later); stalled
# (no complete in the pace's days); closed (the window ended short of it); not started (the window opens later);
# no target (a category without one).
STATUSES = ("reached", "on_track", "behind", "stalled", "closed", "not_started", "no_target")
PROGRESS_COLUMNS = ["target", "category", "goal", "complete", "partial", "declined", "share", "remaining",
                    "pace", "projected", "status"]


def _pace_days(start: date, as_of: date) -> int:
    return max(0, min(PACE_DAYS, (as_of - start).days + 1))


def progress(counts: pd.DataFrame, goals: Mapping[str, Mapping[str, int]], start: date, end: date,
             as_of: date) -> pd.DataFrame:
    """One row per (target, category) of ``counts`` (columns target, category, day, complete, partial, declined;
    days after ``as_of`` ignored) and of ``goals`` (target -> category -> completes to reach; the total is target
    "" with category ""), with the columns of ``PROGRESS_COLUMNS``; categories without a goal come last."""
    # A response without a usable date still counts (not in the pace); one dated after the report day does not.
    seen = counts[~(pd.to_datetime(counts["day"]).dt.date > as_of)] if len(counts) else counts
    last = min(as_of, end)  # the pace is the window's: after its end, that of its last days
    days = _pace_days(start, last)
    since = last - timedelta(days=days - 1)
    rows = []
    keys = [(t, c) for t, cats in goals.items() for c in cats]
    planned = set(keys)
    keys += sorted({(t, c) for t, c in zip(seen["target"], seen["category"]) if (t, c) not in planned and t in goals})
    for target, category in keys:
        mine = seen[(seen["target"] == target) & (seen["category"] == category)]
        complete = int(mine["complete"].sum())
        when = pd.to_datetime(mine["day"]).dt.date
        recent = int(mine.loc[(when >= since) & (when <= last), "complete"].sum()) if days else 0
        goal = goals.get(target, {}).get(category)
        pace = recent / days if days else 0.0
        remaining = max(goal - complete, 0) if goal is not None else None
        projected = None
        if goal is None:
            status = "no_target"
        elif remaining == 0:
            status = "reached"
        elif as_of > end:
            status = "closed"
        elif as_of < start:
            status = "not_started"
        elif pace == 0:
            status = "stalled"
        else:
            projected = as_of + timedelta(days=math.ceil(remaining / pace))
            status = "on_track" if projected <= end else "behind"
        rows.append({"target": target, "category": category, "goal": goal, "complete": complete,
                     "partial": int(mine["partial"].sum()), "declined": int(mine["declined"].sum()),
                     "share": complete / goal if goal else None, "remaining": remaining, "pace": pace,
                     "projected": projected, "status": status})
    return pd.DataFrame(rows, columns=PROGRESS_COLUMNS)


def daily(counts: pd.DataFrame, start: date, end: date, as_of: date) -> pd.DataFrame:
    """The total's completes and partials per day from the window's start to ``as_of`` (or its end), every day
    present, with the cumulative completes (``cumulative``). Responses before the start count on its first day."""
    last = min(end, as_of)
    days = pd.date_range(start, max(start, last), freq="D").date
    total = counts[counts["target"] == ""] if len(counts) else counts
    frame = pd.DataFrame({"day": days, "complete": 0, "partial": 0})
    for _, row in total.iterrows():
        day = max(pd.Timestamp(row["day"]).date(), start) if pd.notna(row["day"]) else start
        if day <= last:
            frame.loc[frame["day"] == day, ["complete", "partial"]] += [int(row["complete"]), int(row["partial"])]
    frame["cumulative"] = frame["complete"].cumsum()
    return frame


def invitation_batches(participants: pd.DataFrame) -> pd.DataFrame:
    """Per invitation batch (the day invitations were sent; "" for participants not invited yet): its
    participants, those reminded at least once, those completed, and the response rate. ``participants``:
    LimeSurvey's ``sent``, ``completed`` and ``remindercount`` per participant ("N" or a date "YYYY-MM-DD HH:MM");
    nothing else is read."""
    columns = ["batch", "participants", "reminded", "completed", "rate"]
    if participants.empty:
        return pd.DataFrame(columns=columns)
    sent = participants["sent"].fillna("N").astype(str)
    frame = pd.DataFrame({
        "batch": sent.where(~sent.isin(["N", ""]), "").str[:10],
        "reminded": pd.to_numeric(participants["remindercount"], errors="coerce").fillna(0) > 0,
        "completed": ~participants["completed"].fillna("N").astype(str).isin(["N", ""]),
    })
    batches = frame.groupby("batch", sort=True).agg(participants=("batch", "size"), reminded=("reminded", "sum"),
                                                    completed=("completed", "sum")).reset_index()
    batches["rate"] = batches["completed"] / batches["participants"]
    batches = pd.concat([batches[batches["batch"] != ""], batches[batches["batch"] == ""]], ignore_index=True)
    return batches[columns].astype({"participants": "int64", "reminded": "int64", "completed": "int64"})
