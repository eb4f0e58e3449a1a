cd $VTD_DATA/traces && vtd-top --snapshot --keys '4 <Home> s unmap<Space>iova<Space>0xfffa0000<Enter> n n N' legacy-strict.dmesg.txt legacy-strict.ftrace.txt.gz
