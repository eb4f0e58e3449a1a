vtd-top --list-metrics
