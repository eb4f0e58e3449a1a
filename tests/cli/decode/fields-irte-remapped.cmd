vtd-decode --fields irte-remapped
