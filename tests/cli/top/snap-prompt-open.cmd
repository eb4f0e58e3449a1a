cd $VTD_DATA/traces && vtd-top --snapshot --keys '/dma' legacy-strict.dmesg.txt legacy-strict.ftrace.txt.gz
