"""Turn detected changes into messages: instant alerts and weekly digests, each queued once.

The work is done by modules with one job each, re-exported here so callers keep one import:
`alerts.change_view` (a stored change in the reader's words), `alerts.matching` (which changes a
subscription wants, and why), `alerts.queueing` (instant alerts), `alerts.digests` (weekly digests)
and `alerts.weeks` (ISO weeks in Tbilisi time).
"""

from __future__ import annotations

from alerts.change_view import change_view
from alerts.digests import compose_digests, queue_digests
from alerts.matching import Matcher, position_of, subscription_reason
from alerts.queueing import ALERT_WINDOW, QueueReport, queue_alerts
from alerts.weeks import TBILISI, last_week, week_bounds

__all__ = ["ALERT_WINDOW", "TBILISI", "Matcher", "QueueReport", "change_view", "compose_digests", "last_week",
           "position_of", "queue_alerts", "queue_digests", "subscription_reason", "week_bounds"]
