cd $VTD_DATA/traces && vtd-top --report -q --fail-if "inv.domain_share>10%" --fail-if "lazy==1" --fail-if "unmap_to_inv.p50>5ms" scalable-lazy.ftrace.txt.zst
