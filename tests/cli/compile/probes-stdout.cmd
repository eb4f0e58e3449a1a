cd $VTD_DATA/compile && vtd-compile --probes - scalable.json | grep -c '"op":"probe"'
