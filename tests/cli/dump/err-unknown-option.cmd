vtd-dump --bogus
