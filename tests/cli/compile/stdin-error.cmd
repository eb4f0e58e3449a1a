cd $VTD_DATA/compile && cat bad-keys.json | vtd-compile -
