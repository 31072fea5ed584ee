"""Portal views: thin. They read through `portal.selectors`, write through
`incidents.services` and show `DomainError`s through `portal.errors`."""
