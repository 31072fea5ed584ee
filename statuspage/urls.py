from django.urls import path

from statuspage import api, feeds, views

urlpatterns = [
    path("", views.status_page, name="status"),
    path("history/", views.history, name="status-history"),
    path("subscribe/", views.subscribe, name="status-subscribe"),
    path("subscribe/confirm/<str:code>/", views.confirm, name="status-confirm"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="status-unsubscribe"),
    path("feed.rss", feeds.StatusRssFeed(), name="status-feed-rss"),
    path("feed.atom", feeds.StatusAtomFeed(), name="status-feed-atom"),
    path("api/v2/summary.json", api.summary, name="status-summary-json"),
    path("api/v2/status.json", api.status, name="status-status-json"),
]
