vtd-decode --encode cap nd=65536 sagaw=39-bit,48-bit mgaw=48 fro=544 sslps=2M,1G psi=1 nfr=1 mamv=18 dwd=1 drd=1
