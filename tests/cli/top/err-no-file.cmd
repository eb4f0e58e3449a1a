vtd-top --report
