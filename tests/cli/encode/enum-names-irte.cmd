vtd-decode --encode irte-remapped p=1 dm=logical rh=1 tm=edge dlm=fixed v=0x30 dst=0x1 sid=0xf8 svt=sid
