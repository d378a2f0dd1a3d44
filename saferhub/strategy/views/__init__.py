"""Strategy views, one module per concept: dashboards, returns, uploads, exports, actions,
measures and accountability. Views are thin: access.permissions and access.scope first,
then the strategy services."""
