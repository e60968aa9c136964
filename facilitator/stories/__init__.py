"""Stories: klantverhalen and voorbeeldcasussen, written by members, approved by the procesbegeleider."""
