vtd-top --report /dev/null
